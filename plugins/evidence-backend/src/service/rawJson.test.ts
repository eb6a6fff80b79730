import { RawJson, stringifyWithRawJson } from './rawJson';

describe('stringifyWithRawJson', () => {
  it('splices stored JSON texts in place of RawJson values', () => {
    const body = {
      facts: [
        { kind: 'repo.files', value: new RawJson('{"b":1,"a":[true,null]}') },
        { kind: 'ci.summary', value: new RawJson('"text with \\"quotes\\""') },
      ],
      note: 'plain',
    };
    const json = stringifyWithRawJson(body);
    expect(json).toBe(
      '{"facts":[{"kind":"repo.files","value":{"b":1,"a":[true,null]}},' +
        '{"kind":"ci.summary","value":"text with \\"quotes\\""}],"note":"plain"}',
    );
    expect(JSON.parse(json).facts[0].value).toEqual({ b: 1, a: [true, null] });
  });

  it('leaves strings that merely look like placeholders alone', () => {
    const body = {
      detail: '\u0000raw-000000000000:0\u0000',
      v: new RawJson('7'),
    };
    expect(JSON.parse(stringifyWithRawJson(body))).toEqual({
      detail: '\u0000raw-000000000000:0\u0000',
      v: 7,
    });
  });

  it('serializes a RawJson as its parsed value outside the splicing call', () => {
    expect(JSON.stringify({ v: new RawJson('{"x":2}') })).toBe('{"v":{"x":2}}');
  });
});
