/**
 * The example data sets bundled with the page (app/public/examples), each with
 * the model the course material fits to it. The CSV files are copies of the
 * project's examples/ and test/fixtures/data/.
 */
import type { FamilyName } from './options.js';

export interface Example {
  id: string;
  file: string;
  title: string;
  /** One or two sentences: what was measured, and the question. */
  about: string;
  formula: string;
  family: FamilyName;
  /** Numeric columns that are really categories (the preview's type switch). */
  factors: string[];
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'archers',
    file: 'archers50.csv',
    title: 'Archers',
    about: '1,000 shots by 50 archers with two kinds of bow. Does the bow change the distance, once each archer’s skill is allowed for?',
    formula: 'distance ~ bow + (1 | archer)',
    family: 'gaussian',
    factors: [],
  },
  {
    id: 'flipped',
    file: 'flipped.csv',
    title: 'Flipped classroom',
    about: 'Exam scores of 375 students taught by 15 professors in three styles. Does flipping the classroom help, given that professors differ?',
    formula: 'score ~ style + (1 | professor)',
    family: 'gaussian',
    factors: ['professor'],
  },
  {
    id: 'sleepstudy',
    file: 'sleepstudy.csv',
    title: 'Sleep deprivation',
    about: 'Reaction times of 18 people over 10 days of sleep deprivation. How much slower does each day make them, and does that differ between people?',
    formula: 'Reaction ~ Days + (Days | Subject)',
    family: 'gaussian',
    factors: ['Subject'],
  },
  {
    id: 'ctr1000',
    file: 'ctr1000.csv',
    title: 'Click-through rate',
    about: 'Clicks out of exposures for 1,000 users shown an old and a new display (an A/B test). Does the new display raise the click-through rate?',
    formula: 'cbind(clicks, expos - clicks) ~ display + (1 | id)',
    family: 'binomial',
    factors: ['id'],
  },
  {
    id: 'cbpp',
    file: 'cbpp.csv',
    title: 'Cattle disease (cbpp)',
    about: 'New cases of contagious bovine pleuropneumonia out of the herd size, for 15 herds in four periods. Does the incidence fall over the periods?',
    formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
    family: 'binomial',
    factors: ['herd', 'period'],
  },
];

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
