// Values test/global-setup.ts (Node) hands to the tests running inside workerd.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    fakeOpenAiUrl: string;
    fakeMailgunUrl: string;
    fakeStripeUrl: string;
  }
}
