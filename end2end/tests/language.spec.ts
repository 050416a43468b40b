import { test } from '@playwright/test';
import { languageRoundTrip, open } from './helpers';

// The same link as in no-javascript.spec.ts, once the page is hydrated and Leptos' router
// handles clicks on links.
test('with JavaScript, the language link switches to English and back', async ({ page }) => {
  await open(page, '/search?q=thit+trau');
  await languageRoundTrip(page);
});
