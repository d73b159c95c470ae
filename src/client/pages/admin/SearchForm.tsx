// The search box over an admin list the API searches and pages (`?q=&page=`): what is typed
// is only asked for on Search, and a new search starts again at page 1.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { Form, TextField } from "../../components/Field";

export function useSearch() {
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  return { text, setText, q, page, setPage, submit: () => (setPage(1), setQ(text.trim())) };
}

type Props = {
  label: string;
  search: ReturnType<typeof useSearch>;
  placeholder?: string;
  maxLength?: number;
  /** More filters, between the box and the button. */
  children?: ComponentChildren;
};

export function SearchForm({ label, search, placeholder, maxLength, children }: Props) {
  return (
    <Form class="inline-form" role="search" onSubmit={search.submit}>
      <TextField label={label} type="search" value={search.text} onValue={search.setText} placeholder={placeholder} maxLength={maxLength} />
      {children}
      <button type="submit" class="btn">
        Search
      </button>
    </Form>
  );
}
