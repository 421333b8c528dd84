import { buildWorkflowBundle } from './build-bundle.js';

/** `npm run build:workflows [path]`: writes the workflow bundle (default dist/workflow-bundle.js). */
buildWorkflowBundle(process.argv[2] ?? 'dist/workflow-bundle.js')
  .then((path) => console.log(`workflow bundle written to ${path}`))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
