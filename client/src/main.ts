// The browser client's entry point (bundled in memory by server/http/client.ts). The language's
// catalogue comes first (Spanish is fetched as /es.js; English is built in), then the page.
import './styles.css';
import { start } from './app.js';
import { preferredLang, setLang } from './i18n/i18n.js';
import { keepShellOffline } from './worker.js';

void setLang(preferredLang()).then(start);
keepShellOffline();
