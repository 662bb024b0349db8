/** Which ElastAlert2 rule keys the importer reads, and why the others are not carried over. */

/** Keys each type reads (beyond the common ones). */
export const TYPE_KEYS: Record<string, string[]> = {
  any: [],
  frequency: ['num_events', 'timeframe', 'query_key', 'realert', 'timestamp_field'],
  spike: [
    'spike_height',
    'spike_type',
    'threshold_ref',
    'threshold_cur',
    'timeframe',
    'query_key',
    'realert',
    'timestamp_field',
  ],
  flatline: ['threshold', 'timeframe', 'query_key', 'realert', 'timestamp_field'],
  new_term: ['fields', 'terms_window_size', 'timeframe', 'query_key', 'realert', 'timestamp_field'],
  cardinality: [
    'cardinality_field',
    'max_cardinality',
    'min_cardinality',
    'timeframe',
    'query_key',
    'realert',
    'timestamp_field',
  ],
};
export const COMMON_KEYS = new Set([
  'name',
  'type',
  'index',
  'filter',
  'query',
  'description',
  'owner',
  'priority',
  'is_enabled',
  'alert',
]);

/** Keys that have a known reason not to be imported. */
export const NOT_APPLICABLE: Array<[RegExp, string]> = [
  [
    /^(es_|use_ssl$|verify_certs$|ssl_|ca_certs$|client_cert$|client_key$|es_url_prefix$)/,
    'connection settings are ignored: Argus reads its own engine',
  ],
  [
    /^(email|email_.*|from_addr|smtp_.*|cc|bcc|http_post.*|http_post2_.*|dingtalk_.*|work_wechat_.*|wecom_.*|slack_.*|telegram_.*|ms_teams_.*|pagerduty_.*|opsgenie_.*|command|pipe_.*)$/,
    'channel settings are not imported: configure channels and routes in Argus (notify stage), which route alerts by jurisdiction and severity',
  ],
  [
    /^alert_(text|subject).*$/,
    "message templates are not imported: Argus notices use each channel's own format",
  ],
  [
    /^aggregation(_key)?$|^summary_table_fields$/,
    'Argus already sends one digest per rule and interval (notify stage)',
  ],
  [
    /^(buffer_time|run_every|query_delay|use_count_query|use_terms_query|doc_type|max_query_size|scroll_keepalive|use_strftime_index|include|top_count_keys|top_count_number|raw_count_keys|match_enhancements|run_enhancements_first|use_local_time|limit_execution)$/,
    'not applicable: Argus evaluates closed windows with engine aggregations',
  ],
  [
    /^(generate_kibana_.*|kibana_.*|use_kibana.*|kibana4_.*|shorten_kibana_discover_url)$/,
    'Kibana links are not applicable',
  ],
  [/^exponential_realert$/, 'exponential realert is not supported: the fixed realert interval is kept'],
  [/^import$/, "rule inheritance (import) is not followed: inline the parent rule's fields"],
  [/^alert_on_new_data$/, 'Argus never reports a spike without a previous window to compare with'],
  [
    /^(forget_keys|window_step_size|alert_on_missing_field|terms_size|ignore_null)$/,
    'not supported by the Argus rule model',
  ],
];
