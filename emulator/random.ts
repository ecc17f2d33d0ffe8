// Seeded randomness, so a seed gives the same ids and the same faults on every run.

/** mulberry32: small, fast, good enough for ids and fault dice. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** 25-character ids shaped like Astro's cuids (`clmh57jtm000008lb58fe2wmv`). */
export function idMaker(random: () => number): () => string {
  return () => {
    let s = 'c';
    for (let i = 0; i < 24; i++) s += BASE36[Math.floor(random() * 36)];
    return s;
  };
}

const ADJECTIVES = [
  'cosmic',
  'stellar',
  'lunar',
  'orbital',
  'galactic',
  'nebular',
  'solar',
  'radiant',
  'polar',
  'silent',
];
const NOUNS = [
  'quasar',
  'pulsar',
  'nova',
  'comet',
  'meteor',
  'aurora',
  'zenith',
  'photon',
  'nebula',
  'eclipse',
];

/** Kubernetes-namespace-like names: `cosmic-quasar-1234`. */
export function namespaceMaker(random: () => number): () => string {
  return () => {
    const a = ADJECTIVES[Math.floor(random() * ADJECTIVES.length)];
    const n = NOUNS[Math.floor(random() * NOUNS.length)];
    return `${a}-${n}-${String(Math.floor(random() * 10000)).padStart(4, '0')}`;
  };
}
