import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forestSpec } from '../../src/plot/forest.js';
import { loadResvg, toPNG } from '../../src/plot/png.js';
import { toSVG } from '../../src/plot/svg.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const svg = await toSVG(forestSpec({ terms: ['Days', 'age'], estimate: [10, -2], lower: [7, -5], upper: [13, 1], level: 0.95 }));

/** PNG width and height from the IHDR chunk. */
function size(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset);
  return [view.getUint32(16), view.getUint32(20)];
}

test('toPNG(svg) returns a PNG twice the SVG size by default', async () => {
  const png = await toPNG(svg);
  assert.deepEqual([...png.slice(0, 8)], SIGNATURE);
  assert.ok(png.length > 5000);
  const width = Number(/width="(\d+)"/.exec(svg)![1]);
  assert.equal(size(png)[0], 2 * width);
});

test('toPNG(svg, 1) renders text: the PNG is larger than the same SVG without text', async () => {
  const png = await toPNG(svg, 1);
  const bare = await toPNG(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''), 1);
  assert.equal(size(png)[0], size(bare)[0]);
  assert.ok(png.length > bare.length * 1.2, `${png.length} vs ${bare.length}`);
});

test('loadResvg(load) without @resvg/resvg-js installed says how to get it', async () => {
  const missing = () => Promise.reject(Object.assign(new Error("Cannot find package '@resvg/resvg-js'"), { code: 'ERR_MODULE_NOT_FOUND' }));
  await assert.rejects(loadResvg(missing), (err: Error) => {
    assert.equal(err.name, 'MixedModelsError');
    assert.match(err.message, /^PNG output needs @resvg\/resvg-js .*: npm install @resvg\/resvg-js, or write \.svg$/);
    return true;
  });
});

test('loadResvg(load) passes on other failures unchanged', async () => {
  const broken = () => Promise.reject(new TypeError('bad binary'));
  await assert.rejects(loadResvg(broken), /^TypeError: bad binary$/);
});
