import type { GlobalRole } from '../../../shared/index.js';
import { MAX_NAME_CHARS } from '../../../shared/text-rules.js';
import { httpCaller } from '../api.js';
import { h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import { languageSwitch } from './language-switch.js';

export type SignedIn = { token: string; openGroupId?: string };

/** Before signing in there is no token to send. */
const call = httpCaller();

/**
 * Sign-in: paste a token from the program (a portal can also hand it over as `#token=…`), or in
 * demo mode pick a name and a role. Resolves once, with a token the caller still has to try. The
 * language switch on top redraws the page in the language chosen.
 */
export function renderSignIn(root: HTMLElement, reason: string | undefined, done: (s: SignedIn) => void): void {
  const tokenId = nextId('token');
  const tokenProblem = h('p', { class: 'problem', role: 'alert', hidden: true });
  const token = h('textarea', { id: tokenId, rows: 3, spellcheck: 'false', autocomplete: 'off', required: true });
  const demoBox = h('div', { class: 'demo-slot' });
  const heading = h('h2', { tabindex: -1 }, t('Sign in'));
  document.title = t('Sign in · Bridge');
  replace(
    root,
    h(
      'section',
      { class: 'page signin' },
      languageSwitch(() => renderSignIn(root, reason, done)),
      heading,
      reason ? h('p', { class: 'notice-text', role: 'alert' }, reason) : null,
      h('p', null, t('Bridge is where your group meets between and during sessions. Everything here stays with your program.')),
      demoBox,
      h(
        'form',
        {
          class: 'card',
          onsubmit: (e) => {
            e.preventDefault();
            const code = token.value.trim();
            if (!code) return void showProblem(tokenProblem, t('Paste the sign-in code your program gave you.'));
            done({ token: code });
          },
        },
        h('h3', null, t('Sign in with a code from your program')),
        h('label', { for: tokenId }, t('Sign-in code')),
        token,
        tokenProblem,
        h('button', { type: 'submit', class: 'primary' }, t('Sign in')),
      ),
    ),
  );
  heading.focus();
  void offerDemo(demoBox, done);
}

async function offerDemo(box: HTMLElement, done: (s: SignedIn) => void): Promise<void> {
  const status = await call('GET /auth/demo');
  const demo = status.ok && status.data.demo;
  box.dataset.demo = demo ? 'on' : 'off';
  if (!demo) return;
  const nameId = nextId('name');
  const roleId = nextId('role');
  const name = h('input', { id: nameId, type: 'text', maxlength: MAX_NAME_CHARS, required: true, autocomplete: 'nickname' });
  const role = h(
    'select',
    { id: roleId },
    h('option', { value: 'participant' }, t('Participant')),
    h('option', { value: 'facilitator' }, t('Facilitator')),
  );
  const problem = h('p', { class: 'problem', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('Try the demo'));
  replace(
    box,
    h(
      'form',
      {
        class: 'card demo',
        onsubmit: (e) => {
          e.preventDefault();
          if (!name.value.trim())
            return void showProblem(problem, t('Choose a name to show the group (a first name or a nickname is fine).'));
          void signInToDemo(submit, problem, { name: name.value, role: role.value as GlobalRole }, done);
        },
      },
      h('h3', null, t('Demo mode')),
      h(
        'p',
        { class: 'notice-text' },
        t(
          'This server is running in demo mode: it signs its own sign-ins, and anyone can join. Never use it with real people or real stories.',
        ),
      ),
      h('label', { for: nameId }, t('Your name in the group')),
      name,
      h('label', { for: roleId }, t('Role')),
      role,
      problem,
      submit,
    ),
  );
}

function showProblem(el: HTMLElement, text: string): void {
  el.textContent = text;
  el.hidden = false;
}

async function signInToDemo(
  submit: HTMLButtonElement,
  problem: HTMLElement,
  who: { name: string; role: GlobalRole },
  done: (s: SignedIn) => void,
): Promise<void> {
  submit.disabled = true;
  const res = await call('POST /auth/demo', { body: who });
  submit.disabled = false;
  if (!res.ok) return void showProblem(problem, describeError(res.error));
  done({ token: res.data.token, openGroupId: res.data.demoGroupId });
}
