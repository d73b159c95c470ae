// Response shapes of the JSON API, shared by the Worker and the client. Dates travel as ISO
// strings (JSON of the Worker's Date objects).
import type { BookMode, Contract, Digest } from "./schemas";
import type { Stage, UnitStage } from "./stages";

export type ApiError = {
  error: {
    code: string;
    message: string;
    fields?: Record<string, string>;
    requestId?: string;
    [extra: string]: unknown;
  };
};

export type Credits = { text: number; image: number };

export type User = {
  id: number;
  username: string;
  email: string;
  role: string;
  isAdmin: boolean;
  verified: boolean;
  showMature: boolean;
  underReview: boolean;
  credits: Credits;
  createdAt: string;
};

export type Story = {
  id: number;
  userId: number;
  author: string;
  title: string;
  details: string;
  tags: string[];
  inspirations: string;
  writingStyle: string;
  chaptersCount: number;
  targetChapterWords: number;
  shared: boolean;
  mature: boolean;
  spotlight: boolean;
  flagged: boolean;
  coverImageUrl: string | null;
  coverImagePrompt: string | null;
  favoritesCount: number;
  createdAt: string;
  updatedAt: string;
};

/** `aliases`: other names the prose may use; the API always sends them (an empty list when none). */
export type Character = { name: string; description: string; exampleDialogue: string; aliases?: string[] };
export type Location = { name: string; description: string; aliases?: string[] };
export type GuidePart = { text: string; characters: string[]; locations: string[] };

export type ChapterSummary = {
  id: number;
  number: number;
  title: string;
  summary: string;
  wordCount: number;
  hasContent: boolean;
  hasGuide: boolean;
  imageUrl: string | null;
  /** The author's own image prompt, if they wrote one. */
  imagePrompt: string | null;
  /** The prose was written before its summary, beats or the cast last changed, or against an earlier story bible. */
  stale: boolean;
  /** Why it is stale, in words an author understands; null when it is not. */
  staleReason: string | null;
  /** What the book remembers of this chapter exists, and (digestStale) describes an earlier version of its prose. */
  hasDigest: boolean;
  digestStale: boolean;
  /** The beats were written before the summary last changed. */
  guideStale: boolean;
  updatedAt: string;
};

export type StoryDetail = {
  story: Story;
  characters: Character[];
  locations: Location[];
  arcs: string[];
  chapters: ChapterSummary[];
  /** What the cover is painted from when the author has not written their own prompt. */
  defaultCoverPrompt: string;
};

export type Chapter = ChapterSummary & {
  content: string | null;
  /** The prompt composed from the chapter's beats, characters and places, used when imagePrompt is empty. */
  defaultImagePrompt: string;
  guide: GuidePart[];
  /** What the book remembers from this chapter (docs/MEMORY.md), with the facts code dropped. */
  digest: (Digest & { droppedFacts: number; source: "generated" | "edited"; updatedAt: string }) | null;
  /** Where the chapter starts (the previous chapter's exit) and where it must leave the story. */
  entry: Contract | null;
  exit: Contract | null;
};

export type Revision = {
  id: number;
  source: "generated" | "edited";
  content: string;
  wordCount: number;
  createdAt: string;
};

export type JobStatus = "queued" | "running" | "succeeded" | "partial" | "failed" | "cancelled";

export type Job = {
  id: number;
  storyId: number;
  stage: Stage;
  status: JobStatus;
  currentStage: UnitStage | null;
  /** How its chapters are written, for book and chapter runs. */
  mode: BookMode | null;
  params: Record<string, unknown>;
  unitsTotal: number;
  unitsDone: number;
  unitsFailed: number;
  predictedCost: number;
  predictedImageCost: number;
  actualCost: number;
  actualImageCost: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export type ApiToken = { id: number; name: string; createdAt: string; lastUsedAt: string | null };

// ---------------------------------------------------------------- billing

export type CreditPackage = { id: number; name: string; creditType: "text" | "image"; credits: number; priceUsd: number };
export type Plan = { id: number; name: string; monthlyTextCredits: number; monthlyImageCredits: number; priceUsd: number };

export type BillingCatalog = {
  /** False when the server has no Stripe keys: show `message` instead of buy buttons. */
  enabled: boolean;
  message: string | null;
  publishableKey: string | null;
  packages: CreditPackage[];
  roles: Plan[];
  /** The caller's plan, when signed in. */
  account: { roleId: number; role: string; subscribed: boolean; hasBillingAccount: boolean } | null;
};

export type CheckoutSession = { id: string; url: string };

export type AdminRole = Plan & {
  isAdmin: boolean;
  protected: boolean;
  active: boolean;
  stripePriceId: string | null;
  createdAt: string;
};
export type AdminPackage = CreditPackage & { active: boolean; stripePriceId: string | null; createdAt: string };

// ---------------------------------------------------------------- social

/** A story as readers see it in lists (Explore, spotlight, favourites). */
export type PublicStory = Story & {
  /** The viewer has this story among their favourites. */
  favorited: boolean;
  /** Chapters with prose (chaptersCount counts the planned ones). */
  chaptersWritten: number;
};
export type StoryPage = { stories: PublicStory[]; page: number; pageSize: number; total: number };

/** The viewer's standing with one story: GET /api/stories/:id/social. */
export type StorySocial = { favorited: boolean; reported: boolean; favoritesCount: number; commentsCount: number; own: boolean };
export type FavoriteState = { favorited: boolean; favoritesCount: number };
export type ReportState = { reported: boolean };

export type Comment = {
  id: number;
  storyId: number;
  userId: number;
  author: string;
  body: string;
  createdAt: string;
  /** Set once the comment has been edited. */
  updatedAt: string | null;
};
/** Newest first. */
export type CommentPage = { comments: Comment[]; page: number; pageSize: number; total: number };

export type NewsItem = { id: number; title: string; body: string; published: boolean; createdAt: string };
export type FeedbackItem = { id: number; userId: number | null; username: string | null; message: string; createdAt: string };
export type AdminTag = { id: number; name: string; stories: number };
export type StoryReport = { userId: number; username: string; reason: string | null; createdAt: string };
export type AdminStory = Story & { reports: number; recentReports: StoryReport[]; authorUnderReview: boolean };
