/**
 * Choose one file and it is uploaded at once to POST /api/files (as the proof of an MDF claim): shows the
 * file's name and size, uploads with `uploadFile` (api/client.ts), and reports the server's problem (too
 * large, a type not accepted, empty) in the person's language, with a button to try again. The page using
 * it keeps the returned record's id.
 */
import { useId, useRef, useState } from 'react';
import { uploadFile, type StoredFile } from '../api/client';
import { locale, plainT, useT } from '../i18n';
import { problemText } from '../i18n/problems';
import { problemOf, type Problem } from '../lib/api';
import { fileSizeText, UPLOAD_ACCEPT } from '../lib/files';

export interface FileUploadProps {
  /** What the file is for. */
  purpose: 'mdf-proof';
  /** For a partner enrolled with several vendors: the vendor the file is for. */
  vendorId?: string;
  /** The input's label; "Choose a file" unless told. */
  label?: string;
  /** Called with the stored file's record once uploaded. */
  onUploaded: (file: StoredFile) => void;
  /** The largest upload the server takes, in bytes, to say so beside the input (10 MiB by default). */
  maxBytes?: number;
  disabled?: boolean;
}

type State =
  | { step: 'idle' }
  | { step: 'uploading'; file: File }
  | { step: 'done'; file: File; stored: StoredFile }
  | { step: 'failed'; file: File; problem: Problem };

export function FileUpload({
  purpose,
  vendorId,
  label,
  onUploaded,
  maxBytes = 10 * 1024 * 1024,
  disabled = false,
}: FileUploadProps) {
  const t = useT();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>({ step: 'idle' });
  const size = (bytes: number) => fileSizeText(bytes, plainT(t), locale());

  const upload = async (file: File) => {
    setState({ step: 'uploading', file });
    try {
      const stored = await uploadFile(file, { purpose, ...(vendorId ? { vendorId } : {}) });
      setState({ step: 'done', file, stored });
      onUploaded(stored);
    } catch (err) {
      setState({ step: 'failed', file, problem: problemOf(err) });
    }
  };

  const reset = () => {
    if (input.current) input.current.value = '';
    setState({ step: 'idle' });
  };

  const file = state.step === 'idle' ? null : state.file;
  const problem = state.step === 'failed' ? problemText(state.problem, t) : null;
  return (
    <div className="field file-upload">
      <label htmlFor={id}>{label ?? t('files.choose')}</label>
      <input
        id={id}
        ref={input}
        type="file"
        accept={UPLOAD_ACCEPT}
        disabled={disabled || state.step === 'uploading'}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const chosen = e.target.files?.[0];
          if (chosen) void upload(chosen);
          else setState({ step: 'idle' });
        }}
      />
      <p id={`${id}-hint`} className="hint">
        {t('files.accepted', { limit: size(maxBytes) })}
      </p>
      {file && (
        <p className="file-upload-chosen">
          {t('files.chosen', { name: file.name, size: size(file.size) })}{' '}
          {state.step === 'failed' && (
            <button
              type="button"
              className="button button-primary"
              disabled={disabled}
              onClick={() => void upload(state.file)}
            >
              {t('files.retry')}
            </button>
          )}{' '}
          {state.step !== 'uploading' && (
            <button type="button" className="button" onClick={reset}>
              {t('files.remove')}
            </button>
          )}
        </p>
      )}
      {state.step === 'uploading' && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('files.uploading', { name: state.file.name })}
        </p>
      )}
      {state.step === 'done' && <p role="status">{t('files.uploaded', { name: state.stored.fileName })}</p>}
      {problem && (
        <p className="hint field-error" role="alert">
          <strong>{problem.title}</strong>: {problem.detail}
        </p>
      )}
    </div>
  );
}
