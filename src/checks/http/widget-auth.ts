import { redact } from '../../secrets.js';
import type { Check, Finding } from '../types.js';
import { bodyError } from '../../http/request.js';
import { describeExchange, type AppInput } from './input.js';

export const httpWidgetAuth: Check<'app'> = {
  id: 'http.widget-auth',
  section: 'widget-auth',
  title: 'Widget authentication returns a conversation',
  verifies: 'POST {app}/api/widget/auth with x-organization-id and a marked probe visitor returns 200 with a conversationId (writes one probe conversation; --no-write-probes skips it).',
  guideRef: 'Widget Authentication Failures → Verification; Quick Diagnostic Checklist → 2',
  fix: 'campfire fix-permissions',
  input: 'app',
  judge(app: AppInput) {
    const a = app.auth;
    const findings: Finding[] = [{ object: 'probe', detail: `visitorId ${app.visitorId}, customerEmail ${app.customerEmail}` }];
    if (a.status === 200 && a.conversationId) {
      return { status: 'pass', summary: `200 with conversationId ${a.conversationId} in ${a.latencyMs} ms`, findings };
    }
    const said = bodyError(a.body);
    const what = a.status === 200 && !a.failure ? `HTTP 200 but no conversationId in the body${said ? ` (${said})` : ''}` : describeExchange(a);
    findings.unshift({ object: `POST ${a.url}`, detail: redact(what) });
    const permission = /permission denied|row-level security|violates row-level/i.test(what);
    const reachable = a.status !== undefined;
    return {
      status: 'fail',
      summary: `widget auth failed: ${redact(what)}`,
      findings,
      advice: permission
        ? 'This is the guide\'s widget failure: the insert into conversations fires sync_realtime_conversations_trigger, whose ' +
          'function runs as the widget\'s role and may not write realtime_conversations (missing grant, missing ' +
          'INSERT/UPDATE policies, function not SECURITY DEFINER). campfire fix-permissions repairs all three.'
        : reachable
          ? 'The app answered but did not create a conversation: read its server log around this time for the cause.'
          : 'doctor could not talk to the app: check --app-url and that the app is running.',
    };
  },
};
