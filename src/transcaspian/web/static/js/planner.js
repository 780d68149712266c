/* The planner page: submits the form to POST /api/v1/routes/search, shows the options side by
 * side, draws the chosen itinerary on a Leaflet map over the vendored Natural Earth countries
 * and lists its legs as a timeline. Served by this platform only: no CDN. */
(function () {
  "use strict";

  const MODE_COLOR = { rail: "#b2182b", road: "#8c510a", ferry: "#00897b", sea: "#6a3d9a" };
  const form = document.getElementById("planner-form");
  const errors = document.getElementById("planner-errors");
  const status = document.getElementById("planner-status");
  const list = document.getElementById("planner-options");
  const timeline = document.querySelector("#timeline tbody");
  const mapElement = document.getElementById("planner-map");
  const map = L.map(mapElement, { preferCanvas: false }).fitBounds([[25, 0], [55, 125]]);
  const route = L.layerGroup().addTo(map);
  let options = [];

  loadCountries();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    plan();
  });

  async function loadCountries() {
    try {
      const response = await fetch(mapElement.dataset.countriesUrl);
      const world = await response.json();
      const countries = topojson.feature(world, world.objects.countries);
      L.geoJSON(countries, {
        interactive: false,
        style: { color: "#9aa3ab", weight: 0.6, fillColor: "#f3f0e6", fillOpacity: 1 },
      }).addTo(map);
      route.eachLayer((layer) => layer.bringToFront && layer.bringToFront());
    } catch (error) {
      status.textContent = `Base map not loaded: ${error.message}`;
    }
  }

  async function plan() {
    errors.textContent = "";
    list.replaceChildren();
    timeline.replaceChildren();
    route.clearLayers();
    status.textContent = "Planning…";
    const data = new FormData(form);
    const body = {
      origin: data.get("origin"),
      destination: data.get("destination"),
      ready_on: data.get("ready_on"),
      cargo: {
        containers_40ft: Number(data.get("containers_40ft") || 0),
        containers_20ft: Number(data.get("containers_20ft") || 0),
        mass_t: Number(data.get("mass_t")),
      },
    };
    const response = await fetch("/api/v1/routes/search", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) {
      status.textContent = "";
      const items = (answer.errors || []).map((e) => `${e.pointer.split("/").pop()}: ${e.detail}`);
      errors.textContent = items.length ? items.join("; ") : answer.detail;
      return;
    }
    options = answer.itineraries;
    const none = answer.corridors_without_route.length
      ? `; no route by ${answer.corridors_without_route.join(", ")}`
      : "";
    status.textContent = `${options.length} options${none}`;
    options.forEach((option, index) => list.append(card(option, index)));
    if (options.length) choose(0);
  }

  function card(option, index) {
    const item = element("li", { className: "planner-option" });
    item.append(
      element("h3", {}, `${option.rank}. ${option.corridor} corridor`),
      element("p", {}, ...option.badges.map((b) => element("span", { className: "badge" }, b.replace("_", " ")))),
      definitions([
        ["P50 transit", `${option.p50_transit_days.toFixed(1)} days`],
        ["P90 transit", `${option.p90_transit_days.toFixed(1)} days`],
        ["Cost", cost(option)],
        ["CO2e", `${(option.co2e_kg / 1000).toFixed(2)} t`],
        ["Via", option.via.join(", ") || "direct"],
        ["Misses a sailing", `${Math.round(option.miss_probability * 100)} %`],
      ]),
      element("button", { type: "button", onclick: () => choose(index) }, `Show option ${option.rank}`),
    );
    return item;
  }

  function choose(index) {
    const option = options[index];
    [...list.children].forEach((li, i) => li.setAttribute("aria-current", String(i === index)));
    route.clearLayers();
    const bounds = [];
    for (const leg of option.legs) {
      L.polyline(leg.path, {
        color: MODE_COLOR[leg.mode] || "#333",
        weight: 4,
        className: "tc-route",
        dashArray: leg.mode === "rail" ? null : "8 6",
      })
        .bindTooltip(`${leg.origin_name} → ${leg.destination_name} (${leg.mode})`)
        .addTo(route);
      bounds.push(...leg.path);
    }
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20] });
    timeline.replaceChildren(
      ...option.legs.map((leg) =>
        element(
          "tr",
          {},
          element("td", {}, leg.origin_name),
          element("td", {}, leg.destination_name),
          element("td", {}, leg.mode),
          element("td", {}, leg.service_name ? `${leg.service_name} (${leg.departure_basis})` : "any time"),
          element("td", {}, leg.handling.activities.join(", ") || "—"),
          element("td", {}, when(leg.departs_at)),
          element("td", {}, when(leg.arrives_at)),
          element("td", {}, leg.wait_hours.toFixed(0)),
          element("td", {}, leg.cost_usd === null ? "no published tariff" : Number(leg.cost_usd).toLocaleString("en")),
          element("td", {}, Math.round(leg.co2e_kg).toLocaleString("en")),
        ),
      ),
    );
  }

  function cost(option) {
    const value = Number(option.cost_usd);
    if (value === 0 && option.unpriced_leg_ids.length) return "no published tariff";
    const text = `${value.toLocaleString("en")} USD`;
    return option.cost_complete ? text : `≥ ${text}`;
  }

  function when(iso) {
    return iso.replace("T", " ").slice(0, 16);
  }

  function definitions(rows) {
    const dl = element("dl");
    for (const [term, value] of rows) dl.append(element("dt", {}, term), element("dd", {}, value));
    return dl;
  }

  function element(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }
})();
