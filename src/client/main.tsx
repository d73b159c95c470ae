import { render } from "preact";

render(<main><h1>NovelApp</h1></main>, document.getElementById("app")!);
