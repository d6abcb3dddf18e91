import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLinkName, LINK_NAMES, makeLink, type LinkName } from '../../src/glm/link.js';
import { assertClose } from '../distributions/close.js';

/** A mean inside every link's domain, and etas inside every link's valid range. */
const MUS = [0.05, 0.3, 0.5, 0.8, 0.97];

test('makeLink(name).linkinv inverts linkfun for every link', () => {
  for (const name of LINK_NAMES) {
    const link = makeLink(name);
    for (const mu of MUS) assertClose(link.linkinv(link.linkfun(mu)), mu, 1e-13, `${name} at ${mu}`);
  }
});

test('makeLink(name).muEta is the derivative of linkinv', () => {
  for (const name of LINK_NAMES) {
    const link = makeLink(name);
    for (const mu of MUS) {
      const eta = link.linkfun(mu);
      const h = 1e-6 * Math.max(1, Math.abs(eta));
      const numeric = (link.linkinv(eta + h) - link.linkinv(eta - h)) / (2 * h);
      assertClose(link.muEta(eta), numeric, 1e-7, `${name} at ${mu}`);
    }
  }
});

test("makeLink('logit') clamps eta beyond +-30 as R does", () => {
  const logit = makeLink('logit');
  const eps = 2.220446049250313e-16;
  assert.equal(logit.linkinv(40), 1 / eps / (1 + 1 / eps));
  assert.equal(logit.linkinv(-40), eps / (1 + eps));
  assert.equal(logit.muEta(31), eps);
});

test("makeLink('probit'), ('cloglog'), ('cauchit') stay inside (0, 1) far out", () => {
  for (const name of ['probit', 'cloglog', 'cauchit'] as LinkName[]) {
    const link = makeLink(name);
    for (const eta of [-1e20, -50, 50, 1e20]) {
      const mu = link.linkinv(eta);
      assert.ok(mu > 0 && mu < 1, `${name} at ${eta}: ${mu}`);
      assert.ok(link.muEta(eta) > 0, `${name} muEta at ${eta}`);
    }
  }
  assertClose(makeLink('cauchit').linkinv(-1e6), 1 / (Math.PI * 1e6), 1e-6);
});

test('makeLink(name).validEta checks the domain of inverse, sqrt and 1/mu^2', () => {
  assert.equal(makeLink('inverse').validEta(0), false);
  assert.equal(makeLink('inverse').validEta(-2), true);
  assert.equal(makeLink('sqrt').validEta(-1), false);
  assert.equal(makeLink('1/mu^2').validEta(0), false);
  assert.equal(makeLink('logit').validEta(-1e9), true);
});

test('isLinkName(name) accepts R link names only', () => {
  assert.ok(isLinkName('1/mu^2'));
  assert.ok(!isLinkName('Logit'));
  assert.ok(!isLinkName('toString'));
});
