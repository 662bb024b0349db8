import { useI18n } from '../i18n/i18n';

export function SeverityBadge({ severity }: { severity: string }) {
  const { label } = useI18n();
  return <span className={`badge sev-${severity}`}>{label('severity', severity)}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  const { label } = useI18n();
  return <span className={`badge st-${status}`}>{label('status', status)}</span>;
}
