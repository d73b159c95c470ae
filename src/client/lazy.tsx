// Route-level code splitting: a page module is fetched the first time it is shown.
import { h, type ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Loading, Notice } from "./components/misc";

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let Component: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const start = () => (pending ??= load().then((c) => (Component = c)));
  function Lazy(props: P) {
    const [, setLoaded] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Component) return;
      let alive = true;
      start().then(
        () => alive && setLoaded(1),
        () => {
          pending = null;
          if (alive) setFailed(true);
        },
      );
      return () => {
        alive = false;
      };
    }, []);
    if (Component) return h(Component, props);
    if (failed)
      return (
        <Notice tone="error" title="This page could not be loaded." actions={<button type="button" class="btn" onClick={() => location.reload()}>Reload</button>}>
          <p>NovelApp may have been updated, or the connection dropped.</p>
        </Notice>
      );
    return <Loading />;
  }
  Lazy.preload = start;
  return Lazy;
}
