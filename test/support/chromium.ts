/**
 * Debian's Chromium driven by playwright-core, started the one way this machine allows: the
 * system binary, headless, with background networking off (the network is closed).
 */
import { chromium, type Browser } from 'playwright-core';

/** Launches headless Chromium from /usr/bin/chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
