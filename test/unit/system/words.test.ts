import { describe, expect, it } from 'vitest';
import { splitWords } from '../../../lib/system/words.js';

describe('words', () => {
  it('splits words like a shell without running one', () => {
    expect(splitWords(`sh -c 'wget -q -O- http://127.0.0.1/ | grep ok'`)).toEqual({
      words: ['sh', '-c', 'wget -q -O- http://127.0.0.1/ | grep ok'],
    });
    expect(splitWords('a "b c" d\\ e ""')).toEqual({ words: ['a', 'b c', 'd e', ''] });
    expect(splitWords("echo 'open")).toEqual({ error: "unterminated ' quote" });
  });
});
