// Word lists the checks lean on: words too common to carry meaning, capitalised words that are
// not people or places, and titles that sit in front of a name.

const set = (s: string) => new Set(s.trim().split(/\s+/));

/** Function words and narration filler: they say nothing about which beat a passage tells. */
export const STOPWORDS = set(`
a about above after again against all almost along also although always am among an and another any anyone
anything are around as at away back be because been before being below beneath between both but by can
cannot could did do does doing done down during each either else enough even ever every everyone everything
few for from further get gets getting go goes going gone got had has have having he her here hers herself
him himself his how however i if in into is it its itself just least less let like made make makes many
may me might mine more most much must my myself near neither never no nobody none nor not nothing now of
off often on once one only onto or other others our ours ourselves out over own perhaps quite rather
really said same say says see seemed seems shall she should since so some someone something somewhere still
such than that the their theirs them themselves then there these they thing things this those though
through thus till to too toward towards under until up upon us very was way we well were what whatever
when where whether which while who whom whose why will with within without would yet you your yours
yourself yourselves across already anyway ask asked beside besides came come comes did get knew know
knows look looked looking put seem took take tell told turn turned went yes oh ah okay
`);

/**
 * Words that may start a sentence or a line with a capital without being anybody's name: the
 * stopwords plus common openers, interjections and adverbs.
 */
export const COMMON = new Set([
  ...STOPWORDS,
  ...set(`
  afterwards again ahead alone already anybody anyhow anywhere apparently behind besides beyond bit but
  certainly clearly come dear definitely down each eventually everybody everywhere exactly except far
  finally first five four fine forgive go good goodbye great hello hey hi honestly hush god goodness gosh
  good-bye ideally indeed inside instead last later listen look maybe meanwhile mine my naturally nearly
  next nine no none nonetheless now nowhere obviously of okay once outside over perhaps please possibly
  presently probably quick quiet right second seven she's six slowly softly somebody sometimes somehow
  soon sorry stop suddenly sure surely ten thank thanks third three today together tomorrow tonight truly
  twice two unless upstairs downstairs wait well what's who's whoever yesterday yes yeah nope here's
  there's that's it's let's he's how's where's everything's nothing's something's life heaven hell
  morning evening night noon midnight dawn dusk half all-right alright almost enough careful easy gently
  quickly sadly strangely luckily unfortunately fortunately oddly only again never always sometimes often
  open close come go stand sit run hold keep take give bring tell let make leave look watch mind
  eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
  sixty seventy eighty ninety hundred thousand million dozen
  `),
]);

export const WEEKDAYS_MONTHS = set(`
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
`);

/** Capitalised but never a character or a place the author must list. */
export const NOT_NAMES = new Set([
  ...WEEKDAYS_MONTHS,
  ...set(`
  i i'm i'd i'll i've ok okay god lord heaven hell christ christmas easter midsummer midwinter michaelmas
  candlemas lammas martinmas whitsun whitsuntide advent lent epiphany hogmanay halloween yuletide yule
  english french german latin greek spanish italian dutch scottish irish welsh british american
  north south east west northern southern eastern western
  mother father mum mom dad papa mama grandma grandpa gran granny nan grandmother grandfather
  sir madam ma'am miss mister
  `),
]);

/** Titles that sit before a name; alone they are not a name. */
export const HONORIFICS = set(`
mr mrs ms miss mister dr doctor sir dame lady lord captain capt sister brother father mother aunt uncle
professor prof master mistress madam madame monsieur sergeant sgt lieutenant lt colonel col general gen
major inspector constable judge magistrate saint st reverend rev fr old young little granny grandma
grandpa cousin
`);

/** Small words that may sit inside a multi-word name ("Isle of Skye", "Anne de Vries"). */
export const CONNECTORS = set(`of de van von der den la le du da del di y bin ibn al el the`);

/** Verbs that follow a name at the start of a sentence ("Corvin said nothing."). */
export const SPEECH_VERBS = set(`
said says asked replied answered whispered muttered murmured shouted called cried nodded smiled laughed
sighed frowned shrugged grinned snapped added began
`);

/**
 * A light suffix stripper: "walked", "walking" and "walks" all become "walk", "hoped" and "hope"
 * both "hop". Both sides of a comparison go through it, so being crude costs little.
 */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  let s = w;
  if (/(?:ies|ied)$/.test(s) && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith("ing") && s.length >= 6) s = s.slice(0, -3);
  else if (s.endsWith("ed") && s.length >= 5) s = s.slice(0, -2);
  else if (s.endsWith("ly") && s.length >= 5) s = s.slice(0, -2);
  else if (/(?:s|x|z|ch|sh)es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith("s") && !/(?:ss|us|is)$/.test(s)) s = s.slice(0, -1);
  // "stopp" → "stop", "runn" → "run"; "fall" keeps its double l.
  if (s.length > 3 && s.at(-1) === s.at(-2) && !/[lsz]/.test(s.at(-1)!)) s = s.slice(0, -1);
  if (s.length > 3 && s.endsWith("e")) s = s.slice(0, -1);
  return s;
}
