"""Quiz grading, pure: questions as plain dicts (the StreamField's raw data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionResult:
    question: str
    correct: bool
    feedback: str
    right_answers: list[str]


def grade(questions: list[dict], answers: dict[int, set[int]]) -> tuple[int, list]:
    """Score in percent (rounded down) and the result of each question. A question is
    right when exactly its correct choices are ticked."""
    results = []
    for n, question in enumerate(questions):
        choices = question["choices"]
        expected = {i for i, c in enumerate(choices) if c.get("correct")}
        results.append(
            QuestionResult(
                question=question["question"],
                correct=answers.get(n, set()) == expected,
                feedback=question.get("feedback", ""),
                right_answers=[choices[i]["text"] for i in sorted(expected)],
            )
        )
    right = sum(r.correct for r in results)
    return (100 * right // len(results) if results else 100), results
