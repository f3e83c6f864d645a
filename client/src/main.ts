// The browser client's entry point (bundled in memory by server/http/client.ts).
import './styles.css';
import { start } from './app.js';
import { keepShellOffline } from './worker.js';

start();
keepShellOffline();
