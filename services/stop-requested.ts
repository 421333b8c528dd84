/**
 * Whether a long run was asked to stop, looked up at most a few times a second however many of its
 * steps ask; once asked, it stays so.
 */
export function stopRequestedCheck(lookup: () => Promise<boolean>, everyMs = 250): () => Promise<boolean> {
  let known = false;
  let last = 0;
  let pending: Promise<boolean> | null = null;
  return async () => {
    if (known) return true;
    if (Date.now() - last < everyMs) return false;
    pending ??= lookup().then((requested) => {
      known = requested;
      last = Date.now();
      pending = null;
      return requested;
    });
    return pending;
  };
}
