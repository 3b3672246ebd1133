"""The course's reading order: the single list that the navigation cells, the
contents notebook and the README table are generated from or checked against."""

from __future__ import annotations

from typing import NamedTuple


class Lesson(NamedTuple):
    stem: str  # file name without .ipynb
    title: str
    learn: str  # what you learn, one line
    minutes: int


OUTLINE = [
    Lesson("00-contents", "Contents and set-up check", "what the course answers; check that your setup works", 5),
    Lesson("01-initialize", "Initialise the parameters", "shapes of W and b; small, He and Xavier initialisation", 20),
    Lesson("02-forward", "Forward propagation", "linear step, activations, a stable sigmoid, the caches", 25),
    Lesson("03-cost", "The cost", "cross-entropy, why log(0) appears, the stable form on logits", 25),
    Lesson("04-backprop", "Backpropagation", "the chain rule layer by layer, dZ = A - Y, gradient checking", 35),
    Lesson(
        "05-update-and-train",
        "Update and train",
        "gradient descent, the training loop, cost curves on two data sets",
        30,
    ),
    Lesson(
        "06-rising-cost",
        "The rising cost, reproduced",
        "the original rise, inf and nan on real data, an exploding loss; the divergence lab",
        35,
    ),
    Lesson(
        "07-why-it-rises",
        "Why it rises: curvature",
        "the 2/λ threshold, the Taylor prediction, sharpness, scaling and conditioning, where nan comes from",
        45,
    ),
    Lesson(
        "08-fixing-it",
        "Fixing it",
        "scaling, a stable loss and a smaller learning rate, alone and together; why odd/even still fails",
        40,
    ),
    Lesson(
        "09-beyond",
        "Beyond plain gradient descent",
        "momentum and Adam, He initialisation in deep networks, a learning-rate range test",
        30,
    ),
    Lesson(
        "10-second-question",
        "The second question, on its own terms",
        "mini-batches and float32: from thousands to 1e12 to inf to nan in one epoch, step by step; inits and Adam",
        40,
    ),
]


def title_of(lesson: Lesson) -> str:
    number = lesson.stem.split("-", 1)[0]
    return f"{number} · {lesson.title}"
