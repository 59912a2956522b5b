/** Adds a note to a failed test's error where mocha prints it: in the message, before the stack's first frame. */
export function addToFailure(error: Error, note: string): void {
  error.message += `\n${note}`;
  if (!error.stack) return;
  error.stack = /\n\s+at /.test(error.stack) ? error.stack.replace(/\n(\s+at )/, () => `\n${note}\n    at `) : `${error.stack}\n${note}`;
}
