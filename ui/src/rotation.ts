// Rotating the MCP token without breaking anyone: ask first, naming the clients on this
// computer that keep the token in their settings, then rotate and give them the new one.

import { asWizardError, clientConnect, clientConnectProject, clientsOverview, rotateToken } from "./api";
import { h } from "./dom";
import { clientRequest, clientsHoldingTheToken, currentToolMode, otherProjectsHoldingTheToken, rotationQuestion } from "./state";

/** Asks, rotates, updates the clients that held the old token; the lines to show. */
export async function rotateAndUpdate(): Promise<Node[]> {
  const cards = await clientsOverview();
  const holding = clientsHoldingTheToken(cards);
  // Projects on one URL share one token: their entries keeping it are rewritten too.
  const shared = otherProjectsHoldingTheToken(cards);
  if (!window.confirm(rotationQuestion(holding, shared))) {
    return [h("p", { id: "rotation-result" }, "Nothing was rotated.")];
  }
  const outcome = await rotateToken();
  const lines: Node[] = [h("p", { class: "done", id: "rotation-result" }, `New token for ${outcome.user.role_name ?? "the MCP user"}, kept in the OS keyring; the old one no longer works.`)];
  const updates = h("ul", { class: "plain", id: "rotation-updates" });
  for (const client of holding) {
    try {
      await clientConnect(clientRequest(client.id, "token", currentToolMode(client)));
      updates.append(h("li", { class: "done" }, `${client.name}: updated with the new token.`));
    } catch (error: unknown) {
      updates.append(h("li", { class: "field-error" }, `${client.name}: not updated — ${asWizardError(error).message}`));
    }
  }
  for (const entry of shared) {
    try {
      await clientConnectProject(entry.project, clientRequest(entry.client.id, "token", entry.toolMode));
      updates.append(h("li", { class: "done" }, `${entry.client.name} (project ${entry.project}): updated with the new token.`));
    } catch (error: unknown) {
      updates.append(h("li", { class: "field-error" }, `${entry.client.name} (project ${entry.project}): not updated — ${asWizardError(error).message}`));
    }
  }
  if (holding.length + shared.length > 0) lines.push(updates);
  return lines;
}
