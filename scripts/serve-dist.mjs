// Serves the built site (dist/) at http://127.0.0.1:8080/ with the static server the end-to-end
// tests serve it with, and says the address once it answers. Run by scripts/serve after its build;
// trunk serve would build the site a second time before serving it.
import { serve } from '../tests/e2e/support.mjs';

const PORT = 8080;
try {
  const { url } = await serve(undefined, '/', PORT);
  console.error(`\x1b[1m[looplab]\x1b[0m serving looplab at ${url}  (Ctrl-C stops it)`);
} catch (error) {
  const why = error.code === 'EADDRINUSE' ? `port ${PORT} is in use (another scripts/serve?)` : error.message;
  console.error(`\x1b[1m[looplab]\x1b[0m cannot serve the site: ${why}`);
  process.exit(1);
}
