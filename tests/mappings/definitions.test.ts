import { describe, expect, it } from '@jest/globals';
import { adFields } from '../../mappings/ads.mapping.js';
import { canonicalJson, definitionMeta, type Properties } from '../../mappings/definition.js';
import { keyword, mergeProperties, text } from '../../mappings/fields.js';
import { INDEX_DEFINITIONS, rulesDefinition } from '../../mappings/index.js';
import { pageFields } from '../../mappings/pages.mapping.js';

describe('index definitions', () => {
  it('cover every Argus index, each strict with a keyword id', () => {
    expect(INDEX_DEFINITIONS.map((d) => d.name)).toEqual([
      'pages',
      'page-versions',
      'ads',
      'entities',
      'rules',
      'rule-versions',
      'alerts',
      'evidence',
      'audit',
      'candidates',
      'jurisdictions',
      'operator-history',
      'users',
      'lookalikes',
      'alert-routes',
    ]);
    for (const definition of INDEX_DEFINITIONS) {
      expect(definition.mappings.dynamic).toBe('strict');
      expect(definition.mappings.properties.id).toEqual({ type: 'keyword' });
    }
  });

  it('map every page and ad field in the rules index exactly as pages and ads do', () => {
    const rules = rulesDefinition.mappings.properties;
    const shared: Properties = { ...pageFields(), ...adFields() };
    for (const [name, field] of Object.entries(shared)) {
      expect([name, canonicalJson(rules[name])]).toEqual([name, canonicalJson(field)]);
    }
    expect(rules.query).toEqual({ type: 'percolator' });
  });

  it('refuse a field defined twice with different mappings', () => {
    expect(() => mergeProperties({ title: text() }, { title: keyword() })).toThrow(
      expect.objectContaining({ code: 'MAPPING_DRIFT' }),
    );
    expect(mergeProperties({ id: keyword() }, { id: keyword() })).toEqual({ id: keyword() });
  });

  it('hash the definition so that any change, and only a change, gives a new hash', () => {
    const [pages] = INDEX_DEFINITIONS;
    if (!pages) throw new Error('no pages definition');
    const same = structuredClone(pages);
    expect(definitionMeta(same)).toEqual(definitionMeta(pages));
    const changed = structuredClone(pages);
    changed.mappings.properties.extra = keyword();
    expect(definitionMeta(changed).argus_hash).not.toBe(definitionMeta(pages).argus_hash);
    expect(definitionMeta(changed).argus_settings_hash).toBe(definitionMeta(pages).argus_settings_hash);
  });
});
