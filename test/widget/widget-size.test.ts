import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { APP_BUDGET, buildWidget, gzipSizes, LOADER_BUDGET } from '../../widget/build';

// DESIGN §9's budgets, on a fresh build: the loader every shop's page downloads ≤ 5 KB gzip, the
// visitor app's initial chunk ≤ 40 KB gzip.

describe('the website widget’s size', () => {
  const dist = mkdtempSync(join(tmpdir(), 'switchboard-widget-'));
  after(() => rmSync(dist, { recursive: true, force: true }));

  it('builds a loader within 5 KB gzip and a visitor app within 40 KB gzip', async () => {
    const manifest = await buildWidget(dist);
    const sizes = gzipSizes(manifest, dist);
    console.log(`widget sizes (gzip): loader ${sizes.loader} B of ${LOADER_BUDGET}; app ${sizes.app} B + css ${sizes.style} B of ${APP_BUDGET}`);
    assert.ok(sizes.loader <= LOADER_BUDGET, `the loader is ${sizes.loader} B gzip, over ${LOADER_BUDGET}`);
    assert.ok(sizes.app + sizes.style <= APP_BUDGET, `the app is ${sizes.app + sizes.style} B gzip, over ${APP_BUDGET}`);
  });
});
