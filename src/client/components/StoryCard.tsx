// Story cards: the cover thumbnail every story list shows, and the card readers see for someone
// else's story (Explore, its spotlight, favourites), which opens the reader.
import type { PublicStory, Story } from "../../shared/api";
import { num, plural } from "../format";
import { Link } from "../router";

/** A story's cover, or its initial on a tinted placeholder. Decorative: the card's title names the story. */
export function StoryThumb({ story }: { story: Pick<Story, "title" | "coverImageUrl"> }) {
  return story.coverImageUrl ? (
    <img src={story.coverImageUrl} alt="" class="story-thumb" loading="lazy" />
  ) : (
    <div class="story-thumb placeholder" aria-hidden="true">
      <span>{story.title.slice(0, 1).toUpperCase()}</span>
    </div>
  );
}

type Props = {
  story: PublicStory;
  /** Makes each tag a button that filters by it (Explore); plain tags otherwise. */
  onTag?: (tag: string) => void;
  /** The spotlight's small card: no blurb, no tags. */
  compact?: boolean;
  /** Leaves out the "In your favourites" mark, for the list of favourites itself. */
  inFavorites?: boolean;
};

/** Someone's shared story: cover, title, author, counts and tags; the title and cover open the reader. */
export function PublicStoryCard({ story, onTag, compact, inFavorites }: Props) {
  const href = `/stories/${story.id}/read`;
  return (
    <li class={`story-card card${compact ? " is-compact" : ""}`}>
      <Link href={href} class="story-cover-link" tabIndex={-1} aria-hidden="true">
        <StoryThumb story={story} />
      </Link>
      <div class="story-card-body">
        <h3 class="story-card-title">
          <Link href={href}>{story.title}</Link>
        </h3>
        <p class="muted small story-byline">by {story.author}</p>
        {!compact && story.details && <p class="story-blurb small">{story.details}</p>}
        <p class="story-stats small">
          <span>
            <span aria-hidden="true">♥ </span>
            {plural(story.favoritesCount, "favourite")}
          </span>
          <span>
            {num(story.chaptersWritten)} of {plural(story.chaptersCount, "chapter")} written
          </span>
        </p>
        {((story.favorited && !inFavorites) || story.mature) && (
          <p class="story-badges">
            {story.favorited && !inFavorites && <span class="badge badge-info">In your favourites</span>}
            {story.mature && <span class="badge badge-warning">Mature</span>}
          </p>
        )}
        {!compact && story.tags.length > 0 && (
          <ul class="tags" aria-label="Tags">
            {story.tags.map((t) => (
              <li key={t}>
                {onTag ? (
                  <button type="button" class="tag tag-button" aria-label={`Show stories tagged ${t}`} onClick={() => onTag(t)}>
                    {t}
                  </button>
                ) : (
                  <span class="tag">{t}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}
