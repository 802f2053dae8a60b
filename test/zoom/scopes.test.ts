import { describe, expect, it } from 'vitest';

import { describeScope, missingScopes, REQUIRED_ZOOM_SCOPES } from '../../src/zoom/scopes.js';

const ALL =
  'user:read:user meeting:write:meeting meeting:read:meeting meeting:update:meeting meeting:delete:meeting';

describe('required Zoom scopes', () => {
  it('lists exactly the five granular scopes with a description each', () => {
    expect(REQUIRED_ZOOM_SCOPES.map((entry) => entry.scope)).toEqual(ALL.split(' '));
    expect(describeScope('meeting:update:meeting')).toBe("update a meeting's time or title");
    expect(REQUIRED_ZOOM_SCOPES.every((entry) => entry.description.length > 0)).toBe(true);
  });

  it('finds nothing missing when all five are granted, in any order and with extras', () => {
    const granted = ALL.split(' ').reverse().join(' ') + ' user:read:email';

    expect(missingScopes(granted)).toEqual([]);
  });

  it('names each scope that was not granted', () => {
    expect(missingScopes('user:read:user meeting:read:meeting')).toEqual([
      'meeting:write:meeting',
      'meeting:update:meeting',
      'meeting:delete:meeting',
    ]);
  });

  it('does not take an admin twin or a classic scope for the granular one', () => {
    expect(
      missingScopes(
        ALL.replace('meeting:delete:meeting', 'meeting:delete:meeting:admin meeting:write'),
      ),
    ).toEqual(['meeting:delete:meeting']);
  });

  it('treats an empty grant as missing all five', () => {
    expect(missingScopes('')).toHaveLength(5);
  });
});
