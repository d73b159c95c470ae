import { useTitle } from "../components/misc";
import { Link } from "../router";
import { session } from "../session";
import { useStore } from "../store";

const STEPS: [string, string][] = [
  ["Details", "Title, premise, tags, inspirations and the voice you want."],
  ["Characters & places", "A cast with example dialogue and settings with texture."],
  ["Outline", "Every chapter with a title and a summary, in order."],
  ["Arcs", "The threads that carry the book from first page to last."],
  ["Beats", "A scene-by-scene plan for each chapter, with who and where."],
  ["Chapters", "Prose that follows the plan, streamed as it is written."],
  ["Images", "A cover and art for the chapters you choose."],
  ["Read", "Your book, chapter by chapter, right where you left off."],
];

export default function Landing() {
  useTitle("");
  const { user } = useStore(session);
  return (
    <div class="landing">
      <section class="hero">
        <p class="eyebrow">Plan it. Write it. Read it.</p>
        <h1>NovelApp</h1>
        <p class="lead">
          Write a whole novel with an AI co-author, one careful step at a time — or all at once. You stay in charge of every character, chapter and
          sentence.
        </p>
        <div class="hero-actions">
          {user ? (
            <Link href="/dashboard" class="btn btn-primary btn-lg">
              Go to my stories
            </Link>
          ) : (
            <>
              <Link href="/register" class="btn btn-primary btn-lg">
                Start writing — it's free
              </Link>
              <Link href="/login" class="btn btn-ghost btn-lg">
                Log in
              </Link>
            </>
          )}
        </div>
      </section>
      <section class="steps-overview" aria-labelledby="how-title">
        <h2 id="how-title">How a book comes together</h2>
        <ol class="step-cards">
          {STEPS.map(([title, text], i) => (
            <li class="step-card" key={title}>
              <span class="step-num" aria-hidden="true">
                {i + 1}
              </span>
              <h3>{title}</h3>
              <p>{text}</p>
            </li>
          ))}
        </ol>
      </section>
      <section class="feature-row">
        <div class="feature">
          <h2>Nothing is lost</h2>
          <p>Edits stay yours while new results arrive, every chapter keeps its last ten versions, and you can restore any of them.</p>
        </div>
        <div class="feature">
          <h2>Know the price first</h2>
          <p>Every Generate button shows what it will cost before you press it, and your history shows what it really cost.</p>
        </div>
        <div class="feature">
          <h2>Watch it happen</h2>
          <p>Progress and prose stream into the page live, across every tab you have open.</p>
        </div>
      </section>
    </div>
  );
}
