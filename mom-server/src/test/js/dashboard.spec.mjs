// Drives the dashboard in headless Chromium (run by DashboardBrowserTest, which starts the server):
// sign in through the form, find the queue the test created, publish one message through the API and
// see the queue's depth change on the page. Also checks that the token never appears in a URL, that every
// API call carries the Authorization header, and that the page logs no errors (CSP violations included).
//
// Usage: node dashboard.spec.mjs <baseUrl> <user> <password> <queue> <screenshotDir>
// Environment: CHROMIUM (default /usr/bin/chromium). Prints one line "OK ..." and exits 0 on success.

import { chromium } from 'playwright-core';

const [baseUrl, user, password, queue, screenshots] = process.argv.slice(2);
if (!queue) {
  console.error('usage: node dashboard.spec.mjs <baseUrl> <user> <password> <queue> <screenshotDir>');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage();
const problems = [];
const requests = [];
let expectFailedLogin = false;
page.on('console', (m) => {
  // Failed responses are checked one by one below, with their URL.
  if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
    problems.push('console: ' + m.text());
  }
});
page.on('response', (r) => {
  const intended = expectFailedLogin && r.status() === 401 && r.url().endsWith('/v1/auth/login');
  if (r.status() >= 400 && !intended) {
    problems.push(`HTTP ${r.status()} for ${r.url()}`);
  }
});
page.on('pageerror', (e) => problems.push('page error: ' + e.message));
page.on('request', (r) => requests.push({ url: r.url(), auth: r.headers()['authorization'] || null }));

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function api(method, path, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  const r = await fetch(baseUrl + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  check(r.ok, `${method} ${path} answered ${r.status}`);
  return r.status === 204 ? null : r.json();
}

const depthCell = `#destinations tr[data-destination="${queue}"] td.depth`;
try {
  await page.goto(baseUrl + '/ui/');
  await page.waitForSelector('#login-form', { state: 'visible', timeout: 10000 });
  await page.fill('#username', user);
  await page.fill('#password', 'not-the-password');
  expectFailedLogin = true;
  await page.click('#login-submit');
  await page.waitForSelector('#login-error', { state: 'visible', timeout: 10000 });
  expectFailedLogin = false;

  await page.fill('#password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#dashboard', { state: 'visible', timeout: 10000 });
  await page.waitForSelector(depthCell, { timeout: 10000 });
  await page.waitForFunction((sel) => document.querySelector(sel).textContent === '0', depthCell, { timeout: 10000 });

  const nodeRow = await page.textContent('#nodes tbody tr td.alive');
  check(nodeRow === 'yes', 'the node is not shown alive: ' + nodeRow);
  check(await page.$(`#destinations tr[data-destination="${queue}"] td.chart svg polyline`) !== null,
    'no rate chart in the queue row');

  const token = (await api('POST', '/v1/auth/login', null, { username: user, password })).token;
  await api('POST', `/v1/queues/${encodeURIComponent(queue)}/messages`, token, { payload: 'hello dashboard' });
  await page.waitForFunction((sel) => document.querySelector(sel).textContent === '1', depthCell, { timeout: 10000 });

  const pageToken = await page.evaluate(() => sessionStorage.getItem('mom.token'));
  check(pageToken && pageToken.length > 20, 'the page keeps no token');
  const apiCalls = requests.filter((r) => new URL(r.url).pathname.startsWith('/v1/') && !r.url.endsWith('/v1/auth/login'));
  check(apiCalls.length > 0, 'the page made no API call');
  for (const r of requests) {
    check(!r.url.includes(pageToken) && !r.url.includes(password), 'a secret in a URL: ' + r.url);
  }
  for (const r of apiCalls) {
    check(r.auth === 'Bearer ' + pageToken, 'an API call without the bearer token: ' + r.url);
  }
  check(!page.url().includes(password), 'the password is in the page URL');
  check(problems.length === 0, 'the page logged errors: ' + problems.join(' | '));

  await page.click('#logout');
  await page.waitForSelector('#login-form', { state: 'visible', timeout: 10000 });
  check(await page.evaluate(() => sessionStorage.getItem('mom.token')) === null, 'the token survived sign-out');
  console.log(`OK depth 0 -> 1 for ${queue}; ${apiCalls.length} API calls, all with the Authorization header`);
} catch (e) {
  try {
    await page.screenshot({ path: `${screenshots}/dashboard-failure.png`, fullPage: true });
  } catch (ignored) {
    // best effort
  }
  console.error('FAILED: ' + e.message);
  console.error('page problems: ' + problems.join(' | '));
  process.exitCode = 1;
} finally {
  await browser.close();
}
