import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { stateByFips, stateName } from "../../domain/states";
import { ErrorMessage } from "../../web/src/components/status";
import { ApiError } from "../../web/src/lib/api";

const root = document.createElement("div");
document.body.append(root);
afterEach(() => render(null, root));

describe("ErrorMessage", () => {
  it("shows the problem's detail and offers no retry for a request that must change", () => {
    render(
      <ErrorMessage
        error={new ApiError(400, "Invalid request parameter", 'state: unknown state code "ZZ"')}
        onRetry={() => {}}
      />,
      root,
    );
    expect(root.querySelector("[role=alert]")?.textContent).toContain('state: unknown state code "ZZ"');
    expect(root.querySelector("button")).toBeNull();
  });

  it.each([0, 429, 503])("offers Try again for status %i", (status) => {
    let retried = 0;
    render(<ErrorMessage error={new ApiError(status, "Error", "try later")} onRetry={() => retried++} />, root);
    root.querySelector("button")?.click();
    expect(retried).toBe(1);
  });
});

describe("states table", () => {
  it("names states, DC, Puerto Rico and territories; maps atlas FIPS ids to codes", () => {
    expect(stateName("tx")).toBe("Texas");
    expect(stateName("DC")).toBe("District of Columbia");
    expect(stateName("GU")).toBe("Guam");
    expect(stateName("ZZ")).toBe("ZZ");
    expect(stateByFips("48")?.code).toBe("TX");
    expect(stateByFips("72")?.code).toBe("PR");
  });
});
