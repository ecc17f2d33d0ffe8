// A clock whose sleeps return at once and move its time on: tests record the delays a wait
// would sleep instead of sleeping them.
export interface FakeClock {
  sleeps: number[];
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Moves time on without a sleep (as a slow request would). */
  advance: (ms: number) => number;
}

export function fakeClock(): FakeClock {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => (t += ms),
  };
}
