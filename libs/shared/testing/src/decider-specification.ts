import type { AnyCommand, AnyEvent, Decider } from '@mandate/kernel';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * given(past events).when(command).then(new events) — decider tests that read like the rules.
 * `thenThrows` checks the error class (and optionally its code); `thenNothingHappened` means [].
 */
export const DeciderSpecification = {
  for<State, Cmd extends AnyCommand, Evt extends AnyEvent>(decider: Decider<State, Cmd, Evt>) {
    return (given: readonly Evt[]) => ({
      when: (command: Cmd) => {
        const run = () => decider.decide(command, given.reduce(decider.evolve, decider.initialState()));
        return {
          then: (expected: readonly Evt[]) => expect(run()).toEqual(expected),
          thenNothingHappened: () => expect(run()).toEqual([]),
          thenThrows: (errorClass: ErrorClass, code?: string) => {
            let thrown: unknown;
            try {
              run();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(errorClass);
            if (code) expect(thrown).toHaveProperty('code', code);
          },
        };
      },
    });
  },
};
