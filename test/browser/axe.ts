// What every browser test's accessibility check shares: axe-core in the page, and the width check.
import axe from 'axe-core';
import { expect } from 'chai';
import type { Page } from 'playwright-core';

type Finding = { id: string; impact: string | null | undefined; help: string; nodes: string[] };

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function audit(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const result = await run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

/** Nothing wider than the viewport: no sideways scrolling on a 320 px phone. */
export async function fitsWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** axe-clean and no sideways scroll at 320 px, axe-clean at 1280 px (the view resized in place). */
export async function accessibleAtBothWidths(page: Page, what: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await audit(page), `${what} at 320 px`).to.deep.equal([]);
  expect(await fitsWidth(page), `${what} fits 320 px`).to.be.at.most(320);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await audit(page), `${what} at 1280 px`).to.deep.equal([]);
}
