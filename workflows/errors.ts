/** Failure types that retrying cannot fix; activities throw them as non-retryable ApplicationFailures. */
export const NON_RETRYABLE = {
  notFound: 'NotFound',
  invalidInput: 'InvalidInput',
} as const;
