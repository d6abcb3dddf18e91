/** An evaluation as the CLI's JSON: `{metric, family, mode, sets, methods: [{method, fitSeconds, coefficients, scores, mean, sd, messages}]}`. */
import type { Evaluation } from '../../evaluate/evaluate.js';
import { num, type Json } from '../json.js';

export function evaluationJson(e: Evaluation): { [key: string]: Json } {
  return {
    metric: e.metric,
    family: e.family,
    mode: e.mode,
    sets: [...e.sets],
    methods: e.methods.map((m) => ({
      method: m.method,
      fitSeconds: num(m.fitSeconds),
      coefficients: m.coefficients.map((c) => ({ term: c.term, estimate: num(c.estimate) })),
      scores: m.scores.map(num),
      mean: num(m.mean),
      sd: num(m.sd),
      messages: [...m.messages],
    })),
  };
}
