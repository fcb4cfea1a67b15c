#!/usr/bin/env python3
"""Writes small.txt: an original, generated English corpus for the pretraining-data tests.

One sentence per line, a blank line between documents; each document keeps to one topic so that a
real next sentence and a random one differ. Re-run to regenerate (the seed fixes the output).
"""
import random
import sys

TOPICS = {
    "garden": dict(people=["Anna", "the gardener", "my neighbour", "Grandpa Joe"], things=["the roses", "a row of carrots", "the old apple tree", "the tomato plants", "a basket of beans"], places=["behind the house", "near the greenhouse", "by the stone wall", "in the vegetable patch"], verbs=["watered", "planted", "picked", "pruned", "covered"], adj=["green", "tall", "fragrant", "muddy"]),
    "harbour": dict(people=["the fisherman", "Captain Morris", "two sailors", "the harbour master"], things=["the nets", "a small blue boat", "the heavy ropes", "a crate of fish", "the lantern"], places=["on the pier", "at the harbour", "beside the lighthouse", "along the quay"], verbs=["repaired", "loaded", "tied", "painted", "counted"], adj=["salty", "windy", "grey", "busy"]),
    "school": dict(people=["the teacher", "Ms. Patel", "the pupils", "a curious student"], things=["the experiment", "a magnet", "the microscope", "a jar of water", "the chalkboard"], places=["in the classroom", "at the front desk", "near the window", "in the science lab"], verbs=["tested", "measured", "explained", "cleaned", "drew"], adj=["bright", "quiet", "careful", "noisy"]),
    "bakery": dict(people=["the baker", "Mr. Lewis", "his daughter", "the first customer"], things=["the bread", "a tray of rolls", "the sourdough", "a chocolate cake", "the flour"], places=["at the bakery", "by the oven", "on the counter", "in the back kitchen"], verbs=["baked", "sliced", "sold", "weighed", "decorated"], adj=["warm", "golden", "sweet", "crusty"]),
    "mountain": dict(people=["the hikers", "our guide", "Elena", "a tired climber"], things=["the map", "a heavy backpack", "the rope", "a flask of tea", "the compass"], places=["on the ridge", "below the summit", "near the glacier", "at the mountain hut"], verbs=["checked", "carried", "followed", "shared", "found"], adj=["steep", "rocky", "cold", "misty"]),
    "river": dict(people=["the rowers", "Tom", "a ferryman", "the children"], things=["the canoe", "a wooden paddle", "the bridge", "a floating log", "the fishing rod"], places=["on the river", "under the bridge", "near the weir", "along the bank"], verbs=["pushed", "steered", "crossed", "watched", "dropped"], adj=["calm", "fast", "shallow", "muddy"]),
    "library": dict(people=["the librarian", "Dr. Okafor", "a young reader", "the visitors"], things=["the old atlas", "a dusty novel", "the catalogue", "a book about birds", "the newspapers"], places=["in the library", "on the top shelf", "at the reading table", "in the quiet room"], verbs=["borrowed", "returned", "sorted", "read", "repaired"], adj=["quiet", "ancient", "thick", "rare"]),
    "train": dict(people=["the conductor", "a passenger", "Mrs. Chen", "the driver"], things=["the ticket", "a heavy suitcase", "the timetable", "a window seat", "the signal"], places=["at the station", "on platform four", "in the dining car", "near the tunnel"], verbs=["checked", "lifted", "missed", "waited for", "reached"], adj=["late", "crowded", "fast", "sleepy"]),
    "storm": dict(people=["the villagers", "the farmer", "a police officer", "our family"], things=["the roof", "a fallen tree", "the power lines", "a pile of snow", "the candles"], places=["in the village", "on the main road", "near the school", "outside the shop"], verbs=["cleared", "fixed", "lit", "moved", "shovelled"], adj=["freezing", "dark", "wild", "icy"]),
    "football": dict(people=["the striker", "the goalkeeper", "the coach", "the fans"], things=["the ball", "a penalty", "the first goal", "the trophy", "the whistle"], places=["on the pitch", "in the stadium", "near the goal", "at the halfway line"], verbs=["kicked", "saved", "scored", "celebrated", "missed"], adj=["loud", "muddy", "tense", "proud"]),
    "orchestra": dict(people=["the conductor", "the violinist", "a young cellist", "the audience"], things=["the symphony", "a quiet melody", "the score", "a silver flute", "the piano"], places=["in the concert hall", "on the stage", "during the rehearsal", "in the front row"], verbs=["played", "practised", "tuned", "applauded", "heard"], adj=["gentle", "grand", "slow", "joyful"]),
    "market": dict(people=["the trader", "a shopper", "Luis", "the cheese seller"], things=["the apples", "a bag of oranges", "the spices", "a round cheese", "the coins"], places=["at the market", "under the awning", "near the fountain", "by the fish stall"], verbs=["bought", "sold", "weighed", "tasted", "wrapped"], adj=["fresh", "cheap", "ripe", "colourful"]),
    "museum": dict(people=["the curator", "a group of tourists", "Professor Grant", "the guard"], things=["the dinosaur bones", "a golden mask", "the old painting", "a Roman coin", "the statue"], places=["in the museum", "in the east wing", "behind the glass", "near the entrance"], verbs=["studied", "admired", "cleaned", "photographed", "described"], adj=["ancient", "famous", "fragile", "huge"]),
    "farm": dict(people=["the farmer", "Uncle Ben", "the farm dog", "two workers"], things=["the cows", "a bale of hay", "the tractor", "a bucket of milk", "the chickens"], places=["on the farm", "in the barn", "across the field", "near the pond"], verbs=["fed", "milked", "drove", "chased", "counted"], adj=["sunny", "dusty", "early", "hungry"]),
    "observatory": dict(people=["the astronomer", "a student", "Dr. Ivanova", "the visitors"], things=["the telescope", "a bright comet", "the moon", "a distant galaxy", "the star chart"], places=["at the observatory", "on the roof", "under the dome", "in the control room"], verbs=["pointed", "observed", "recorded", "photographed", "found"], adj=["clear", "distant", "faint", "dark"]),
    "workshop": dict(people=["the engineer", "a small robot", "Priya", "the apprentice"], things=["the motor", "a circuit board", "the robot arm", "a box of screws", "the battery"], places=["in the workshop", "on the bench", "near the soldering iron", "by the charging station"], verbs=["built", "tested", "soldered", "programmed", "charged"], adj=["clever", "tiny", "shiny", "broken"]),
    "cooking": dict(people=["the chef", "the students", "Marco", "his assistant"], things=["the soup", "a sharp knife", "the onions", "a pot of rice", "the sauce"], places=["in the kitchen", "at the stove", "on the chopping board", "near the sink"], verbs=["stirred", "chopped", "tasted", "boiled", "served"], adj=["spicy", "hot", "delicious", "thick"]),
    "bicycle": dict(people=["the mechanic", "a cyclist", "Sara", "her brother"], things=["the chain", "a flat tyre", "the brakes", "a new saddle", "the pump"], places=["at the bike shop", "on the cycle path", "outside the café", "in the garage"], verbs=["fixed", "oiled", "replaced", "pumped", "adjusted"], adj=["rusty", "quick", "light", "loose"]),
    "festival": dict(people=["the dancers", "a street musician", "the mayor", "the crowd"], things=["the lanterns", "a paper dragon", "the fireworks", "a parade float", "the drums"], places=["in the square", "along the high street", "near the town hall", "by the river"], verbs=["carried", "lit", "watched", "played", "decorated"], adj=["noisy", "bright", "cheerful", "crowded"]),
    "weather": dict(people=["the forecaster", "the pilot", "a fisherman", "everyone"], things=["the clouds", "a cold front", "the rain", "a rainbow", "the thermometer"], places=["over the hills", "above the city", "along the coast", "near the airport"], verbs=["predicted", "saw", "measured", "reported", "expected"], adj=["cloudy", "humid", "stormy", "mild"]),
}

TIMES = ["in the morning", "after lunch", "at dawn", "on Monday", "late in the evening", "last week",
         "before sunset", "on a rainy day", "at noon", "in early spring", "every Saturday", "yesterday"]
FEELINGS = ["happy", "surprised", "worried", "tired", "excited", "calm", "proud", "curious"]
NUMBERS = ["two", "three", "five", "seven", "twelve", "forty", "100", "3", "18", "2024"]


def cap(s):
    return s[0].upper() + s[1:]


def sentence(rng, t):
    p = rng.choice(t["people"])
    p2 = rng.choice([x for x in t["people"] if x != p])
    th = rng.choice(t["things"])
    pl = rng.choice(t["places"])
    v = rng.choice(t["verbs"])
    a = rng.choice(t["adj"])
    a2 = rng.choice([x for x in t["adj"] if x != a])
    tm = rng.choice(TIMES)
    f = rng.choice(FEELINGS)
    n = rng.choice(NUMBERS)
    forms = [
        lambda: f"{cap(p)} {v} {th} {pl} {tm}.",
        lambda: f"{cap(tm)}, {p} {v} {th}.",
        lambda: f"It was a {a} day, and {p} felt {f}.",
        lambda: f"Why had {p} {v} {th} {pl}?",
        lambda: f"\"Look at {th}!\" said {p}.",
        lambda: f"{cap(p2)} asked {p} about {th}, but nobody knew the answer.",
        lambda: f"There were {n} people {pl}, and most of them were {f}.",
        lambda: f"{cap(th)} looked {a} and {a2} {tm}.",
        lambda: f"{cap(p)} and {p2} {v} {th} together, which made everyone {f}.",
        lambda: f"After that, {p} went home; the place was {a} again.",
        lambda: f"{cap(p)} couldn't believe how {a} {th} was.",
        lambda: f"Nobody {pl} had ever {v} {th} so quickly!",
        lambda: f"{cap(p)} wrote a note: {n} things to do before {rng.choice(TIMES)}.",
        lambda: f"If {p} had not {v} {th}, the {a} afternoon would have ended badly.",
        lambda: f"The story of {th} is well known {pl}.",
        lambda: f"{cap(p2)} said that {p} is {f} because {th} is {a}.",
    ]
    return rng.choice(forms)()


def main():
    rng = random.Random(20261126)
    out = []
    names = list(TOPICS)
    for doc in range(24):
        t = TOPICS[names[doc % len(names)]]
        count = rng.randint(8, 22)
        seen = set()
        lines = []
        while len(lines) < count:
            s = sentence(rng, t)
            if s not in seen:
                seen.add(s)
                lines.append(s)
        out.append("\n".join(lines))
    path = sys.argv[1] if len(sys.argv) > 1 else "small.txt"
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(out) + "\n")


if __name__ == "__main__":
    main()
