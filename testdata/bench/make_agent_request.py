"""Builds testdata/bench/agent-request.json: the bench's realistic agent request.

An OpenAI chat request as an agent front-end sends it with every turn: a framework's system prompt,
36 tool definitions and 20 messages of history, about 29 KB on the wire. The system prompt and 31
of the tool descriptions are real texts of agent frameworks, read from the shared corpus
(benign_agents/agent_prompts.jsonl, see README.md here for each row's origin and licence); the
other 5 tool descriptions, every parameter schema and the conversation are written here.

    python3 testdata/bench/make_agent_request.py [path/to/agent_prompts.jsonl]

(by default the corpus beside the repository: ../shared/corpora/benign_agents/agent_prompts.jsonl)

The output is deterministic; the bench sends `json.dumps` of it (default separators).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "shared" / "corpora" / "benign_agents" / "agent_prompts.jsonl"
SYSTEM_SOURCE = "smolagents@1.26.0:smolagents/prompts/toolcalling_agent.yaml:system_prompt"
MODEL = "llama3.2:3b-instruct-q4_K_M"


def s(desc: str) -> dict:
    return {"type": "string", "description": desc}


def arr(desc: str) -> dict:
    return {"type": "array", "items": {"type": "string"}, "description": desc}


def obj(desc: str) -> dict:
    return {"type": "object", "description": desc}


# One entry per `tool_description` row of the corpus, in file order: the tool's name and its
# parameters (written here). The row's text is the tool's description.
CORPUS_TOOLS: list[tuple[str, dict]] = [
    ("ask_chat_model", {"question": s("The question or task, in the user's words.")}),
    ("invoke_tool", {"name": s("The exact tool name returned by search_tools."),
                     "arguments": obj("The tool's arguments.")}),
    ("explain_changes", {"explanation": s("The plan, as markdown.")}),
    ("find_original_lines", {"path": s("File path relative to the repository root."),
                             "original_lines": s("The lines to find.")}),
    ("replace_lines", {"path": s("File path relative to the repository root."),
                       "original_lines": s("The lines to replace."),
                       "updated_lines": s("The new lines.")}),
    ("call_managed_agent", {"task": s("What the managed agent should do."),
                            "additional_args": obj("Extra inputs for the agent.")}),
    ("duckduckgo_search", {"query": s("The search query to perform."),
                           "max_results": {"type": "integer",
                                           "description": "How many results to return (1-10)."}}),
    ("api_web_search", {"query": s("The search query to perform."),
                        "country": s("Two-letter country code to localise results, if any.")}),
    ("web_search", {"query": s("The search query to perform."),
                    "filter_year": {"type": "integer",
                                    "description": "Only results from this year, if given."}}),
    ("visit_webpage", {"url": s("The url of the webpage to visit."),
                       "max_length": {"type": "integer",
                                      "description": "Truncate the page to this many characters."}}),
    ("transcribe_audio", {"audio": s("The audio to transcribe: a path or a URL.")}),
    ("structured_lookup", {"query": s("What to look up.")}),
    ("computer_terminal", {"code": s("A Python script in a fenced code block.")}),
    ("code_executor_agent", {"task": s("The task to write and run code for.")}),
    ("structured_final_response", {"response": obj("The final structured response.")}),
    ("load_skill", {"name": s("The skill's name as listed.")}),
    ("delegate_work", {"task": s("The task to delegate."),
                       "context": s("Everything the coworker needs to know."),
                       "coworker": s("The coworker's role.")}),
    ("ask_question", {"question": s("The question to ask."),
                      "context": s("Everything the coworker needs to know."),
                      "coworker": s("The coworker's role.")}),
    ("add_image", {"image_url": s("The URL or path of the image."),
                   "action": s("What to find out about the image.")}),
    ("describe_image", {"image_url": s("The URL or path of the image.")}),
    ("recall_memory", {"queries": arr("One or more search queries."),
                       "limit": {"type": "integer", "description": "At most this many memories."}}),
    ("save_to_memory", {"contents": arr("The facts to store, one per item."),
                        "importance": s("low, medium or high; high memories are kept longest.")}),
    ("query_plan_tool", {"nodes": arr("The query plan's nodes, as JSON strings.")}),
    ("exa_search", {"query": s("The search query."),
                    "num_results": {"type": "integer", "description": "How many results."}}),
    ("exa_find_similar", {"url": s("The URL to find similar pages for.")}),
    ("exa_get_contents", {"urls": arr("The URLs to read.")}),
    ("exa_answer", {"query": s("The question to answer.")}),
    ("web_fetch", {"url": s("The URL to fetch."),
                   "format": s("markdown (default) or binary, for images and PDF files.")}),
    ("load_capability", {"name": s("The capability's name as listed.")}),
    ("search_tools", {"queries": arr("Words likely to appear in a tool's name or description.")}),
    ("search_tool_catalog", {"queries": arr("Search queries.")}),
]

# Five more tools, descriptions written here in the same instruction-heavy register.
OWN_TOOLS: list[tuple[str, str, dict]] = [
    ("get_current_time",
     "Returns the current date and time in the given IANA time zone. Use this tool whenever the "
     "user asks about today, tomorrow or a weekday; never guess the date from the conversation.",
     {"timezone": s("An IANA time zone such as Europe/Lisbon.")}),
    ("convert_units",
     "Converts a quantity from one unit to another (length, mass, volume, temperature, speed). "
     "Always use this tool instead of doing the arithmetic yourself, and report the result with "
     "the unit.", {"value": {"type": "number", "description": "The quantity."},
                   "from_unit": s("The unit of the quantity."),
                   "to_unit": s("The unit wanted.")}),
    ("create_calendar_event",
     "Creates an event in the user's calendar. Only call this after the user has confirmed the "
     "title, the start and the end; if any of them is missing, ask first. Returns the event's id.",
     {"title": s("The event's title."), "start": s("ISO 8601 start time."),
      "end": s("ISO 8601 end time.")}),
    ("list_notes",
     "Lists the user's notes in a folder, newest first, with their titles and the first line of "
     "each. Use it before creating a note, so that you do not create a duplicate.",
     {"folder": s("The folder's name; empty for all notes.")}),
    ("calculator",
     "Evaluates an arithmetic expression and returns the number. Supports + - * / ^, parentheses "
     "and percentages. Use it for any calculation with more than one step.",
     {"expression": s("The expression, e.g. (12.5 * 4) + 7%.")}),
]

# 20 messages of an ordinary conversation, then the new question.
HISTORY: list[tuple[str, str]] = [
    ("user", "Hi! I'm planning a long weekend in Porto at the end of May with my sister. We like "
             "walking, food markets and old bookshops. Could you help me put a plan together?"),
    ("assistant", "Happily. A long weekend in Porto is a good fit for walking: the centre is "
                  "compact but hilly, so comfortable shoes matter more than transport. For food "
                  "markets, the Mercado do Bolhao reopened after its renovation and is busiest "
                  "on Saturday mornings. For bookshops, Livraria Lello is the famous one (you "
                  "buy a timed ticket), and there are quieter second-hand shops around Rua das "
                  "Flores. Late May is a good time: the days are long, the university term "
                  "is still on so the city feels lived in, and the big June festival crowds "
                  "have not arrived yet. How many days exactly, and where are you staying?"),
    ("user", "Friday to Monday, four nights. We booked a flat near Sao Bento station."),
    ("assistant", "That is a central base; most of the old town is within twenty minutes on "
                  "foot. A rough shape: Friday evening, a walk down to the Ribeira and dinner by "
                  "the river. Saturday, the market in the morning, Lello before lunch, and the "
                  "Crystal Palace gardens in the afternoon. Sunday, cross the Dom Luis I bridge "
                  "on the upper deck to Gaia and visit one of the port cellars. Monday, a slow "
                  "morning and the tram 1 along the river to Foz before you leave. That leaves "
                  "gaps on purpose: Porto rewards wandering, and the steep lanes between the "
                  "cathedral and the river are best explored without a schedule. If it rains, "
                  "the Soares dos Reis museum and the Serralves foundation are good indoor "
                  "options, though Serralves is a bus ride west of the centre."),
    ("user", "Sounds lovely. Is the tram worth it or is it a tourist thing?"),
    ("assistant", "It is both. The historic tram 1 is slow and the cars are old, which is the "
                  "charm; it follows the river to the ocean at Foz, a ride of about twenty "
                  "minutes. Go early on a weekday to get a seat by the window. If you would "
                  "rather walk, the riverside path is flat and pleasant in the same direction. "
                  "Tickets are bought on board, in cash or by card on most cars, and a return "
                  "ticket saves a little. At Foz the promenade runs north along the beaches to "
                  "Matosinhos, where the fish grills line a whole street; even without eating "
                  "fish it is worth seeing the smoke and the crowds at lunchtime."),
    ("user", "Okay. My sister is vegetarian. Will that be hard in Porto?"),
    ("assistant", "Less than it used to be. Traditional menus lean on meat and fish (the "
                  "francesinha sandwich is the local pride), but there are plenty of vegetarian "
                  "places now, and most cafes do a good vegetable soup, caldo verde without the "
                  "chorizo if you ask. At the market she will find cheese, bread, fruit and "
                  "pastries. I would book one dinner ahead at a vegetarian restaurant for the "
                  "Saturday, since weekends fill up. Bakeries are a safe bet all day: the "
                  "custard tarts, the bolo de arroz (a rice-flour muffin) and the broa, a dense "
                  "corn bread, are all vegetarian. In Gaia some of the cellar restaurants have "
                  "a vegetarian tasting menu if you ask when booking."),
    ("user", "Good idea. What's the weather usually like at the end of May?"),
    ("assistant", "Mild and mostly dry: daytime highs around 20 to 23 C, cooler evenings near "
                  "the river, and the odd shower. Porto can be windy, so a light jacket is worth "
                  "packing. Sea fog sometimes rolls in at Foz in the morning and burns off by "
                  "noon. Sunscreen is still a good idea: the sun is strong when the clouds "
                  "clear, and most of the sights involve walking outdoors. Evenings in May are "
                  "usually warm enough to sit outside by the river with a jacket on."),
    ("user", "We both like photography. Any viewpoints you'd recommend for sunset?"),
    ("assistant", "The classic is the Jardim do Morro on the Gaia side, just below the upper "
                  "deck of the bridge: you look across the river at the whole old town as the "
                  "light turns orange. It gets crowded, so arrive half an hour early. The "
                  "Miradouro da Vitoria, five minutes from Sao Bento, is quieter and good for "
                  "rooftops. For the ocean, the lighthouse at Foz faces west. For the blue hour "
                  "after sunset, stay on the bridge's upper deck: the lights of the Ribeira come "
                  "on below you and the trains pass behind, so a steady hand or a small tripod "
                  "helps. Early morning is the other good time, when the river is calm and the "
                  "streets are empty."),
    ("user", "What about a day trip? Is there something close by train?"),
    ("assistant", "Guimaraes and Braga are both about an hour by regional train from Sao "
                  "Bento. Guimaraes has a small medieval centre and a castle, easy to see in a "
                  "few hours; Braga has the Bom Jesus sanctuary with its long baroque stairway. "
                  "With only four nights I would pick one at most, or skip it and keep the "
                  "weekend unhurried. The Douro valley is lovely too, but it deserves a whole "
                  "day and a longer train ride. If you do go to Guimaraes another time, check "
                  "the return times before you set out: the last trains in the evening are "
                  "less frequent on Sundays, and the station is a fifteen-minute walk from the "
                  "old centre."),
    ("user", "Let's skip the day trip then. How much should we budget for food per day?"),
    ("assistant", "Porto is good value. A cafe breakfast of coffee and a pastry is a few euros, "
                  "a set lunch (prato do dia) at a local tasca is often 10 to 14 euros with a "
                  "drink, and a sit-down dinner 20 to 35 euros a person without wine. Budgeting "
                  "about 50 euros each per day leaves room for a port tasting and a couple of "
                  "treats at the market. Tipping is modest: rounding up or leaving a euro or two "
                  "at a cafe is normal, and around five to ten percent at a restaurant if the "
                  "service was good."),
    ("user", "Perfect. Can you also suggest a couple of bookshops besides Lello?"),
    ("assistant", "A few that locals like: Livraria Latina on Rua de Santa Catarina, an old "
                  "family shop with Portuguese literature and some English titles; the "
                  "second-hand stalls that sometimes set up near the Praca de Carlos Alberto on "
                  "weekends; and Poetria, a tiny shop devoted to poetry and theatre. Opening "
                  "hours are short on Sundays, so plan them for Saturday. If you are after "
                  "something to read on the trip, look for translations of Portuguese writers "
                  "you might not find at home: Eca de Queiros for a classic novel, Sophia de "
                  "Mello Breyner Andresen for short stories and poems, and Jose Saramago if you "
                  "want something longer. Several shops stamp the title page with their logo on "
                  "request, a small souvenir that weighs nothing in the luggage, and a few of "
                  "the second-hand dealers will post books home for you."),
    ("user", "Thanks, this is really helpful. One last thing: how do we get from the airport "
             "to Sao Bento?"),
    ("assistant", "Take the metro, line E (violet), from the airport station just outside "
                  "arrivals. Buy an Andante card at the machine, load a Z4 ticket, and change to "
                  "line D at Trindade for one stop to Sao Bento. It takes about 40 minutes. A "
                  "taxi or ride-share takes 20 to 30 minutes depending on traffic and costs "
                  "roughly 20 to 25 euros. Late at night, after the metro stops running, the "
                  "taxi is the simpler choice; the rank is right outside arrivals and the "
                  "drivers take cards more often than not, but have some cash in case."),
]
QUESTION = ("Great. Could you put the whole plan into a short day-by-day list I can send to my "
            "sister, with the restaurant booking and the sunset viewpoint on the right days?")


def build(corpus: Path) -> dict:
    rows = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    system = next(r["text"] for r in rows if r["source"] == SYSTEM_SOURCE)
    described = [r for r in rows if r["kind"] == "tool_description"]
    if len(described) != len(CORPUS_TOOLS):
        raise SystemExit(f"expected {len(CORPUS_TOOLS)} tool descriptions in {corpus}, "
                         f"found {len(described)}")

    def tool(name: str, description: str, props: dict) -> dict:
        return {"type": "function", "function": {
            "name": name, "description": description,
            "parameters": {"type": "object", "properties": props, "required": list(props)[:1]}}}

    tools = [tool(name, r["text"], props) for (name, props), r in zip(CORPUS_TOOLS, described)]
    tools += [tool(name, desc, props) for name, desc, props in OWN_TOOLS]
    messages = [{"role": "system", "content": system}]
    messages += [{"role": role, "content": text} for role, text in HISTORY]
    messages.append({"role": "user", "content": QUESTION})
    return {"model": MODEL, "messages": messages, "tools": tools, "tool_choice": "auto",
            "stream": False}


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    body = build(corpus)
    out = HERE / "agent-request.json"
    out.write_text(json.dumps(body, indent=2) + "\n")
    wire = len(json.dumps(body))
    print(f"{out}: {len(body['tools'])} tools, {len(body['messages']) - 2} messages of history, "
          f"{wire} bytes as sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
