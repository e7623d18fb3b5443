// Production server for the built Remix app: `npm run start:web`.
import { createRequestHandler } from '@remix-run/express';
import express from 'express';

const port = Number(process.env.WEB_PORT ?? 3000);
const build = await import('./build/server/index.js');
const app = express();
app.disable('x-powered-by');
app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }));
app.use(express.static('build/client', { maxAge: '1h' }));
app.all('*', createRequestHandler({ build }));
app.listen(port, () => console.log(`herald web listening on http://localhost:${port}`));
