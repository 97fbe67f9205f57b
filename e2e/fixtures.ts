/**
 * The test fixtures: which stack a project runs against, a step recorder (a screenshot and an axe check
 * per step), and a guard that fails a test on uncaught page errors and console errors (a CSP violation on
 * the embed page shows up there).
 */
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import axe from 'axe-core';
import { test as base, expect, type ConsoleMessage, type Page, type TestInfo } from '@playwright/test';
import { GET_STACK, type Stack } from './stack.ts';

export { expect };

export interface StackOptions {
  stack: Stack;
}

/** The WCAG levels every step is checked against. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The widget's own root (`<CheckoutProvider>`'s `.ecp-root`, with its live region): the axe scope of widget steps. */
export const WIDGET_ROOT = '.ecp-root';

const SCREENS = resolve(import.meta.dirname, '../reports/e2e-screens');

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe on the page (or inside `include`) and returns the violations, shortened for messages. The
 * same axe-core as @axe-core/playwright's, injected once per document rather than on every check
 * (AxeBuilder injects it each time: a second per step on this machine).
 */
export async function axeViolations(page: Page, include?: string): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axe.source);
  return page.evaluate(
    async ({ include, tags }) => {
      const engine = (window as unknown as { axe: typeof axe }).axe;
      const results = await engine.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    },
    { include, tags: AXE_TAGS },
  );
}

/**
 * Records the steps of a flow: `widget(name)` screenshots the page and checks the widget with axe;
 * `page(name)` checks the whole page (provider pages, demo pages). A violation fails the test, naming the
 * step. Screenshots: reports/e2e-screens/<project>/<spec>/<test>/<nn>-<step>.png.
 */
export class Steps {
  private n = 0;
  readonly dir: string;

  constructor(
    private page: Page,
    info: TestInfo,
  ) {
    const title = info.titlePath.slice(1).join(' ');
    this.dir = resolve(SCREENS, info.project.name, basename(info.file, '.spec.ts'), slug(title));
  }

  /** Records the next steps from another tab of the test (numbering goes on). */
  switchTo(page: Page): void {
    this.page = page;
  }

  async screenshot(name: string): Promise<string> {
    this.n += 1;
    mkdirSync(this.dir, { recursive: true });
    const path = resolve(this.dir, `${String(this.n).padStart(2, '0')}-${slug(name)}.png`);
    await this.page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
    return path;
  }

  /**
   * A step of the widget: screenshot, then axe inside the widget only (the demo's chrome is not under
   * test). `axe: false` for a step another test already checks in the same state (the method list and
   * form before a behaviour test): the screenshot is still taken.
   */
  async widget(name: string, opts: { axe?: boolean } = {}): Promise<void> {
    await this.screenshot(name);
    if (opts.axe !== false) await this.expectNoViolations(name, WIDGET_ROOT);
  }

  /** A page of its own (provider page, demo page): screenshot, then axe on the whole page. */
  async wholePage(name: string): Promise<void> {
    await this.screenshot(name);
    await this.expectNoViolations(name);
  }

  private async expectNoViolations(step: string, include?: string): Promise<void> {
    // Colours half-way through a CSS transition (a theme switch, a hover) are not the page's colours.
    await this.page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a instanceof CSSTransition)
          .map((a) => a.finished.catch(() => undefined)),
      ),
    );
    const found = await axeViolations(this.page, include);
    const where = include ? `the widget (${include})` : this.page.url();
    expect(
      found,
      `axe (${AXE_TAGS.join(', ')}) on step "${step}" in ${where}:\n${found
        .map((f) => `  ${f.id} (${f.impact}): ${f.help} — ${f.targets.join(', ')}`)
        .join('\n')}`,
    ).toEqual([]);
  }
}

interface Fixtures {
  steps: Steps;
  /** Console errors and uncaught exceptions seen on any page of the test; checked when it ends. */
  pageProblems: string[];
}

/** Console messages that are not the product's doing. */
function ignorable(msg: ConsoleMessage): boolean {
  const text = msg.text();
  // The sandbox's provider pages have no favicon: a 404 on each (a sandbox detail, not the product's).
  if (text.startsWith('Failed to load resource') && msg.location().url.endsWith('/favicon.ico')) return true;
  return false;
}

export const test = base.extend<Fixtures & StackOptions>({
  stack: [GET_STACK, { option: true }],

  steps: async ({ page }, use, info) => {
    await use(new Steps(page, info));
  },

  pageProblems: [
    async ({ context }, use) => {
      const problems: string[] = [];
      const watch = (page: Page) => {
        page.on('pageerror', (e) => problems.push(`uncaught error on ${page.url()}: ${e.message}`));
        page.on('console', (msg) => {
          if (msg.type() === 'error' && !ignorable(msg))
            problems.push(`console error on ${page.url()}: ${msg.text()} (${msg.location().url})`);
        });
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      await use(problems);
      expect(problems, 'no uncaught errors or console errors in the pages').toEqual([]);
    },
    { auto: true },
  ],
});
