// `npm run icons`: the install icons (client/public/icons/icon-192.png and icon-512.png) drawn from
// client/public/icons/icon.svg by the local Chromium, so the PNGs are checked in and never fetched.
// Run it after changing the SVG and commit the PNGs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../test/browser/browser.js';

const DIR = fileURLToPath(new URL('../client/public/icons/', import.meta.url));
const svg = readFileSync(`${DIR}icon.svg`, 'utf8');

const browser = await launchBrowser();
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<body style="margin:0"><img src="data:image/svg+xml,${encodeURIComponent(svg)}" width="${size}" height="${size}" style="display:block"></body>`,
    );
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await page.screenshot({ path: `${DIR}icon-${size}.png`, omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`drew ${DIR}icon-192.png and icon-512.png`);
