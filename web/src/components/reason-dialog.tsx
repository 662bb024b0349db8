import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n';

/** A modal asking for the reason of a resolution or a false positive. */
export function ReasonDialog({
  title,
  onConfirm,
  onCancel,
}: {
  title: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim()) onConfirm(reason.trim());
  }
  return (
    <dialog ref={dialog} aria-label={title} onCancel={onCancel}>
      <form onSubmit={submit} className="dialog-form">
        <h2>{title}</h2>
        <label>
          {t('alerts.reason')}
          <textarea required value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
        </label>
        <div className="toolbar">
          <span className="spacer" />
          <button type="button" onClick={onCancel}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('alerts.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
