import { Button, Callout, Card, TextInput, Title } from '@tremor/react';
import { useEffect, useState, type FormEvent } from 'react';
import { demoSession, demoTokenOffered, login, LoginError, type Session } from '../data/session';
import { useT } from '../ui/LangContext';

/** What the sign-in form says about a refused login; the throttle's wait in seconds or minutes, as the server gives it. */
function loginErrorText(err: unknown, t: ReturnType<typeof useT>['t']): string {
  if (!(err instanceof LoginError)) return (err as Error).message;
  if (err.status === 401) return t('login.failed');
  const wait = err.retryAfterSeconds;
  if (err.status === 429 && wait) return wait < 60 ? t('login.throttled', { seconds: wait }) : t('login.throttledMinutes', { minutes: Math.ceil(wait / 60) });
  return err.message;
}

export function LoginPage({ onSession }: { onSession: (session: Session) => void }) {
  const { t } = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The demo button shows only when the server says it hands out the demo token (CRM_DEMO_TOKEN=on).
  const [demoOffered, setDemoOffered] = useState(false);
  useEffect(() => {
    if (!['localhost', '127.0.0.1', '[::1]'].includes(window.location.hostname)) return;
    let live = true;
    demoTokenOffered().then((offered) => live && setDemoOffered(offered));
    return () => {
      live = false;
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSession(await login(username, password));
    } catch (err) {
      setError(loginErrorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  const demo = async () => {
    const session = await demoSession();
    if (session) onSession(session);
    else setError(t('error.forbidden'));
  };

  return (
    <div className="flex min-h-[70vh] items-center justify-center">
      <Card className="max-w-sm">
        <Title>{t('appName')}</Title>
        <form className="mt-4 space-y-3" onSubmit={submit}>
          <TextInput placeholder={t('login.username')} value={username} onValueChange={setUsername} name="username" autoComplete="username" />
          <TextInput placeholder={t('login.password')} type="password" value={password} onValueChange={setPassword} name="password" autoComplete="current-password" />
          {error && <Callout title={error} color="rose" />}
          <Button type="submit" className="w-full" loading={busy} disabled={!username || !password}>
            {t('login.submit')}
          </Button>
        </form>
        {demoOffered && (
          <Button variant="light" className="mt-3 w-full" onClick={demo}>
            {t('login.demo')}
          </Button>
        )}
      </Card>
    </div>
  );
}
