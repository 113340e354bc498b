import { useEffect, useState } from 'preact/hooks';
import {
  CastBallotDocument, ElectionForVoterDocument, ElectionTurnoutDocument, ElectionsDocument, MeDocument,
  VerifyBallotReceiptDocument,
} from '@linli/client';
import { communityOf, dayLabel, linli } from '../api.js';
import { t } from '../i18n.js';

const POSTS = ['DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER'];
// Voting is over for these (the count's phases): they stay visible, below the others.
const OVER = new Set(['COUNTING', 'COUNTED']);

/** The community's elections: am I on the roll, the slate, the ballot when voting is open
 * (its receipt code kept on screen to write down), turnout live. */
export function Elections() {
  const [elections, setElections] = useState(null);
  useEffect(() => {
    linli.request(MeDocument).then(async ({ me }) => {
      const communityId = communityOf(me);
      if (!communityId) return setElections([]);
      const data = await linli.request(ElectionsDocument, { communityId, first: 10 });
      // The ones still to come or under way first; a counted one stays visible below.
      const all = data.elections.edges.map((e) => e.node);
      setElections([...all.filter((e) => !OVER.has(e.phase)), ...all.filter((e) => OVER.has(e.phase))]);
    }).catch(() => setElections([]));
  }, []);
  return (
    <>
      <section class="card"><h2>{t('elections')}</h2>
        {elections === null && <p>{t('loading')}</p>}
        {elections?.length === 0 && <p>{t('none')}</p>}
      </section>
      {elections?.map((e) => <Election election={e} />)}
    </>
  );
}

function Election({ election }) {
  const [view, setView] = useState(null);
  const [turnout, setTurnout] = useState(null);
  const [chosen, setChosen] = useState(new Set());
  const [receipt, setReceipt] = useState(null);
  const [message, setMessage] = useState('');
  const electionId = election.id;

  useEffect(() => {
    linli.request(ElectionForVoterDocument, { electionId }).then((data) => {
      setView(data);
      setTurnout(data.electionTurnout);
    }).catch((error) => setMessage(error.message));
    return linli.subscribe(ElectionTurnoutDocument, { electionId }, {
      next: ({ electionTurnout }) => setTurnout(electionTurnout),
      error: () => {},
    });
  }, [electionId]);

  function toggle(candidate, seats) {
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(candidate.id)) next.delete(candidate.id);
      else {
        const samePost = view.electionBallot.candidates.filter((c) => c.post === candidate.post && next.has(c.id));
        if (samePost.length >= seats) return current; // never more than the seats
        next.add(candidate.id);
      }
      return next;
    });
  }

  async function cast(event) {
    event.preventDefault();
    const marks = [...chosen].map((candidateId) => ({ candidateId, choice: 'FOR' }));
    const data = await linli.request(CastBallotDocument, { input: { electionId, marks } });
    const { receipt: got, errors } = data.castBallot;
    if (errors.length) setMessage(errors[0].message);
    else { setReceipt(got.trackingCode); setChosen(new Set()); setMessage(''); }
  }

  const ballot = view?.electionBallot;
  const title = `election-${electionId}`;
  return (
    <section class="card" aria-labelledby={title} data-election={electionId}>
      <h2 id={title}>{election.title}</h2>
      <p>{t('electionDay', dayLabel(election.electionDay))} · <strong>{t('phase')[election.phase] ?? election.phase}</strong></p>
      <p role="status" class="message" data-testid="ballot-message">{message}</p>
      {view && (
        <p class={view.amIOnTheRoll.onRoll ? 'big' : 'warning'} data-testid="on-roll" data-on-roll={String(view.amIOnTheRoll.onRoll)}>
          {view.amIOnTheRoll.onRoll ? t('onRoll') : `${t('notOnRoll')}${view.amIOnTheRoll.reason ? `（${t('rollReason')[view.amIOnTheRoll.reason] ?? view.amIOnTheRoll.reason}）` : ''}`}
        </p>
      )}
      {turnout && (
        <p class="seats" data-testid="turnout" data-voted={turnout.voted}>
          {t('turnout', turnout.voted, turnout.rollSize)} <span class="hint">· {t('turnoutLive')}</span>
        </p>
      )}
      {view && view.slate.length > 0 && !ballot && (
        <>
          <h3>{t('slate')}</h3>
          {POSTS.map((post) => {
            const people = view.slate.filter((c) => c.post === post);
            return people.length > 0 && (
              <p><strong>{t('post')[post]}：</strong>{people.map((c) => c.name).join('、')}</p>
            );
          })}
        </>
      )}
      {receipt && (
        <div class="confirm" data-testid="receipt">
          <p>{t('receipt')}</p>
          <p class="huge receipt-code" data-code={receipt}>{receipt.match(/.{1,4}/g).join(" ")}</p>
          <p class="hint">{t('receiptHint')}</p>
          <p class="warning">{t('receiptOnce')}</p>
          {navigator.clipboard && <button class="secondary" onClick={() => navigator.clipboard.writeText(receipt).then(() => setMessage(t('copied')), () => {})}>{t('copyCode')}</button>}
        </div>
      )}
      {view && ballot && ballot.youVoted && !receipt && (
        <p class="big" data-testid="voted">{t('youVoted')}</p>
      )}
      {view && ballot && !ballot.youVoted && !receipt && view.amIOnTheRoll.onRoll && (
        <form onSubmit={cast}>
          <h3>{t('ballot')}</h3>
          {ballot.posts.map(({ post, seats }) => (
            <fieldset class="ballot-post">
              <legend>{t('post')[post] ?? post} · {t('choose', seats)}</legend>
              {ballot.candidates.filter((c) => c.post === post).map((c) => (
                <label class="choice">
                  <input type="checkbox" checked={chosen.has(c.id)} onChange={() => toggle(c, seats)} />
                  <span>{c.name}</span>
                </label>
              ))}
            </fieldset>
          ))}
          <button type="submit">{t('castBallot')}</button>
        </form>
      )}
      {view && !ballot && !OVER.has(election.phase) && <p class="hint">{t('noBallot')}</p>}
      {election.phase === 'COUNTED' && <CheckReceipt electionId={electionId} />}
    </section>
  );
}

/** A code as a person copies it (Crockford base32, the server's alphabet): spaces and
 * dashes dropped, lower case read as upper, O as 0 and I or L as 1. */
function crockford(text) {
  return text.replace(/[\s-]+/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** After the count: was my ballot counted? The voter types the code they kept. */
function CheckReceipt({ electionId }) {
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState('');
  const field = `receipt-${electionId}`;
  async function check(event) {
    event.preventDefault();
    try {
      const { verifyBallotReceipt: found } = await linli.request(VerifyBallotReceiptDocument, { electionId, code: crockford(code) });
      setAnswer(found.found ? t('receiptFound', found.invalidPosts.map((p) => t('post')[p] ?? p)) : t('receiptNotFound'));
    } catch (error) {
      setAnswer(error.message);
    }
  }
  return (
    <form class="confirm" onSubmit={check} data-testid="check-receipt">
      <label for={field}>{t('checkReceipt')}</label>
      <input id={field} value={code} autoComplete="off" autoCapitalize="characters" spellcheck={false} required onInput={(e) => setCode(e.currentTarget.value)} />
      <button type="submit">{t('check')}</button>
      <p role="status" class="message" data-testid="receipt-answer">{answer}</p>
    </form>
  );
}
