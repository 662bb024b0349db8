/**
 * The workbench in Debian's Chromium against a running stack on the demo web: what a newcomer does
 * after `npm start`. One stack and one signed-in page for the file; each test leaves a screenshot in
 * test-artifacts/screenshots/.
 */
import type { Page } from 'playwright-core';
import { DEMO_ADMIN, startBrowserStack, type BrowserStack } from './stack-fixture.js';

describe('the workbench in Chromium', () => {
  let stack: BrowserStack;
  let page: Page;

  beforeAll(async () => {
    stack = await startBrowserStack('web');
    page = await stack.newPage();
  }, 300_000);

  afterAll(async () => {
    await stack?.close();
  });

  /** A Chinese claim printed on a crawled product page of the demo web. */
  function chinesePhrase(): string {
    const seeded = new Set(stack.truth.sites.filter((s) => s.seed).map((s) => s.host));
    const found = stack.truth.pages.find(
      (p) =>
        seeded.has(p.host) &&
        !p.disallowed &&
        p.kind === 'product' &&
        p.claim &&
        /[\u4e00-\u9fff]/.test(p.claim),
    );
    if (!found?.claim) throw new Error('the demo web has no Chinese claim on a crawled page');
    return found.claim;
  }

  async function go(name: RegExp | string): Promise<void> {
    await page.getByRole('navigation').getByRole('link', { name }).click();
  }

  test('signs in with the demo account and lands on the dashboard in Chinese', async () => {
    await page.goto('/');
    await page.getByLabel('用户名').fill(DEMO_ADMIN.username);
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '登录失败' }).waitFor();
    await stack.screenshot(page, '01-login');
    await page.getByLabel('密码').fill(DEMO_ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '监测总览' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toEqual([
      '总览',
      '检索',
      '广告',
      '告警',
      '规则',
      '经营主体',
    ]);
    await page.getByRole('img', { name: '命中趋势 图表' }).locator('canvas').first().waitFor();
    const fetched = page
      .getByRole('group', { name: '采集状况' })
      .getByRole('status', { name: '已采集', exact: true });
    await fetched.filter({ hasText: /^[1-9]\d*$/ }).waitFor();
    await stack.screenshot(page, '02-dashboard');
  });

  test('a Chinese phrase search shows the hit with the phrase highlighted in <mark>', async () => {
    const phrase = chinesePhrase();
    await go('检索');
    await page.getByRole('searchbox', { name: '查询语句' }).fill(`"${phrase}"`);
    await page.getByRole('searchbox', { name: '查询语句' }).press('Enter');
    const results = page.getByRole('region', { name: '检索结果' });
    const firstHit = results.getByRole('listitem').first();
    await firstHit.locator('mark').first().waitFor();
    const marked = (await firstHit.locator('mark').allTextContents()).join('');
    expect(phrase).toContain((await firstHit.locator('mark').first().textContent()) ?? '<none>');
    expect(marked.length).toBeGreaterThan(0);
    expect(await firstHit.locator('.fragment').first().textContent()).toContain(phrase.slice(0, 2));
    // Highlights are rendered as elements only for <mark>; no raw tags leak into the text.
    expect(await results.textContent()).not.toMatch(/<\/?(mark|em)>/);
    await page.getByText('语法帮助').click();
    await page.getByRole('region', { name: '查询语法' }).waitFor();
    await stack.screenshot(page, '03-search');

    await firstHit.getByRole('link').first().click();
    await page.getByRole('heading', { name: '网页详情' }).waitFor();
    const evidence = page.getByRole('button', { name: '固定证据' });
    expect(await evidence.isDisabled()).toBe(true);
    await page.getByRole('heading', { name: '历史版本' }).waitFor();
    await page.getByRole('table').getByRole('cell').first().or(page.getByText('暂无历史版本')).waitFor();
    await stack.screenshot(page, '04-page-detail');
  });

  test('ads grouped by advertiser open a group into its creatives', async () => {
    await go('广告');
    await page.getByRole('region', { name: '广告画廊' }).getByRole('article').first().waitFor();
    await stack.screenshot(page, '05-ads-gallery');
    await page.getByLabel('分组方式').selectOption('advertiser');
    const groups = page.getByRole('region', { name: '广告分组' });
    const first = groups.getByRole('button', { name: /^展开分组/ }).first();
    await first.click();
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    await groups.getByRole('article').first().waitFor();
    await stack.screenshot(page, '06-ads-group');
  });

  test('an ad with an alert is marked false positive from its creative detail', async () => {
    const adAlerts = await stack.engine.search<{ doc_id: string }>({
      index: `${stack.prefix}-alerts`,
      size: 1,
      query: { bool: { filter: [{ term: { target: 'ad' } }, { term: { status: 'open' } }] } },
    });
    const adId = adAlerts.hits[0]?.source.doc_id;
    expect(adId).toBeDefined();
    await page.goto(`/ads/${encodeURIComponent(adId ?? '')}`);
    await page.getByRole('heading', { name: '广告详情' }).waitFor();
    await page.getByRole('heading', { name: '出现的网页' }).waitFor();
    await page.getByRole('button', { name: '标记误报' }).first().click();
    const dialog = page.getByRole('dialog', { name: '标记误报' });
    await dialog.getByLabel('原因').fill('浏览器测试：人工复核为正常宣传');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.locator('.badge.st-false_positive').first().waitFor();
    await stack.screenshot(page, '07-ad-false-positive');
    await page.getByRole('link', { name: '查看规则' }).first().click();
    await page.getByRole('heading', { name: /^编辑: / }).waitFor();
  });

  test('acknowledging an open alert drops the open count by one', async () => {
    await go('告警');
    const openCount = page
      .getByRole('group', { name: '告警统计' })
      .getByRole('status', { name: '待处理', exact: true });
    const table = page.getByRole('table');
    await table.getByRole('button', { name: '确认' }).first().waitFor();
    const before = Number(await openCount.textContent());
    expect(before).toBeGreaterThan(0);
    await stack.screenshot(page, '08-alerts');
    await table.getByRole('button', { name: '确认' }).first().click();
    await openCount.filter({ hasText: new RegExp(`^${before - 1}$`) }).waitFor();
    expect(Number(await openCount.textContent())).toBe(before - 1);
    await stack.screenshot(page, '09-alerts-acknowledged');

    // Live: a notice on the in-app stream shows up in the open inbox without a reload.
    await page
      .getByRole('status')
      .filter({ hasText: /^实时$/ })
      .waitFor();
    const alerts = await stack.engine.search<{ jurisdiction: Record<string, string> }>({
      index: `${stack.prefix}-alerts`,
      size: 1,
    });
    await stack.hub.publish({
      alertIds: ['browser-test'],
      ruleId: 'test.live',
      ruleName: '浏览器实时推送',
      severity: 'high',
      category: 'test',
      title: '浏览器实时推送',
      summary: 'live update',
      jurisdiction: alerts.hits[0]?.source.jurisdiction ?? {},
      hits: 1,
      digest: false,
    });
    await page.getByRole('alert').filter({ hasText: '新告警：浏览器实时推送' }).waitFor();

    // Bulk: two selected alerts acknowledged in one request, each counted.
    const open = Number(await openCount.textContent());
    const boxes = table.getByRole('checkbox', { name: /^选择告警/ });
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: '批量操作: 确认' }).click();
    await page.getByRole('alert').filter({ hasText: '已处理 2 条，失败 0 条' }).waitFor();
    await openCount.filter({ hasText: new RegExp(`^${open - 2}$`) }).waitFor();
  });

  test('a new rule is syntax-checked and back-tested against the crawled pages', async () => {
    const phrase = chinesePhrase();
    await go('规则');
    await page.getByRole('table').getByRole('link').first().waitFor();
    await stack.screenshot(page, '10-rules');
    await page.getByRole('link', { name: '新建规则' }).click();
    await page.getByLabel('规则编号').fill('test.browser-phrase');
    await page.getByLabel('名称').fill('浏览器测试规则');
    await page.getByLabel('类别').fill('absolute-terms');
    const query = page.getByLabel('查询语句');
    await query.fill('"未闭合的短语');
    await page.getByRole('button', { name: '语法检查' }).click();
    await page.getByRole('status').filter({ hasText: '语法错误' }).waitFor();
    await query.fill(`"${phrase}"`);
    await page.getByRole('button', { name: '语法检查' }).click();
    await page.getByRole('status').filter({ hasText: '语法正确' }).waitFor();
    await page.getByRole('button', { name: '回测' }).click();
    const result = page.getByRole('region', { name: '回测结果' });
    await result.waitFor();
    const hits = Number(/命中 (\d+) 条/.exec((await result.textContent()) ?? '')?.[1] ?? '0');
    expect(hits).toBeGreaterThan(0);
    await result.locator('mark').first().waitFor();
    await stack.screenshot(page, '11-rule-backtest');

    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '编辑: 浏览器测试规则' }).waitFor();
    await page.getByRole('button', { name: '停用', exact: true }).click();
    await page.getByRole('button', { name: '启用', exact: true }).waitFor();
    const history = page.getByRole('table');
    await history.getByRole('row').nth(1).waitFor();
    await stack.screenshot(page, '12-rule-history');
  });

  test('operators list opens an operator with its sites and history', async () => {
    await go('经营主体');
    const link = page.getByRole('table').getByRole('link').first();
    await link.waitFor();
    await stack.screenshot(page, '13-operators');
    await link.click();
    await page.getByRole('heading', { name: '主体详情' }).waitFor();
    await page.getByRole('heading', { name: '变更记录' }).waitFor();
    await stack.screenshot(page, '14-operator-detail');
  });

  test('switching to English translates the workbench and survives a reload', async () => {
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Alerts' }).waitFor();
    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await go('Alerts');
    await page.getByRole('heading', { name: 'Alert inbox' }).waitFor();
    await stack.screenshot(page, '15-english-alerts');
    await page.getByRole('button', { name: '切换到中文' }).click();
    await page.getByRole('heading', { name: '告警处置' }).waitFor();
  });
});
