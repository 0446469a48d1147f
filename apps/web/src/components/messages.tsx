import type { ReactNode } from 'react';
import { useCommon } from '../i18n';

/** A line the screen says about itself: a failure read out at once, or what an action did read out politely. */
const Said = ({ text, tone }: { text: ReactNode; tone: 'error' | 'ok' }) =>
  text ? (
    <p className={tone} role={tone === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  ) : null;

/** A failure (the API's refusal, a check that did not pass); nothing when there is none. */
export const ErrorMessage = ({ error }: { error: ReactNode }) => <Said text={error} tone="error" />;

/** What an action did; nothing when there is nothing to say. */
export const DoneMessage = ({ message }: { message: ReactNode }) => <Said text={message} tone="ok" />;

/** While a screen's first answer loads ("Đang tải…" unless told otherwise). */
export const Loading = ({ text }: { text?: string }) => {
  const common = useCommon();
  return <p className="muted">{text ?? common.loading}</p>;
};

type RequestStateProps = {
  error: string | null;
  loading: boolean;
  /** Whether an answer came (it stays on screen while the next one loads). */
  loaded: boolean;
  /** What to say when the answer holds nothing (false: it holds something). */
  empty?: string | false;
  loadingText?: string;
};

/** Where a request for a list stands: its failure, "loading" until the first answer, or that the answer is empty. */
export const RequestState = ({ error, loading, loaded, empty, loadingText }: RequestStateProps) => (
  <>
    <ErrorMessage error={error} />
    {loading && !loaded && <Loading text={loadingText} />}
    {loaded && empty ? <p className="muted">{empty}</p> : null}
  </>
);
