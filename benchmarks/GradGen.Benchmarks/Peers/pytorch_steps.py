"""The peer steps of PeerSteps.cs in PyTorch (Debian's python3-torch), timed in this separate process.

One SGD step each (zero_grad, forward, loss, backward, step), the networks and sizes of PeerSteps. Prints one JSON
object: the torch version and, for each step, its median time in microseconds over 15 rounds (each round long enough,
about 50 ms, for the clock) with one thread and with every core, and the faster of the two: on this kind of machine
Debian's build is sometimes ten times slower on two threads than on one. Run by the benchmark program after the
BenchmarkDotNet suites.
"""
import json
import os
import time

import torch

STEPS = {
    "xor 4x2-3-1 double": (4, 2, 3, 1, "xor", torch.float64),
    "256x64-128-10 sigmoid double": (256, 64, 128, 10, "sigmoid", torch.float64),
    "256x64-128-10 sigmoid float": (256, 64, 128, 10, "sigmoid", torch.float32),
    "1024x1024-1024-1024 relu float": (1024, 1024, 1024, 1024, "relu", torch.float32),
}


def make_step(batch, inputs, hidden, outputs, kind, dtype):
    torch.manual_seed(0)
    bias = kind != "xor"
    activation = torch.nn.ReLU() if kind == "relu" else torch.nn.Sigmoid()
    network = torch.nn.Sequential(torch.nn.Linear(inputs, hidden, bias=bias), activation, torch.nn.Linear(hidden, outputs, bias=bias)).to(dtype)
    optimizer = torch.optim.SGD(network.parameters(), lr=0.01)
    x = torch.rand(batch, inputs, dtype=dtype)
    if kind == "xor":
        y = torch.tensor([[0.0], [1.0], [1.0], [0.0]], dtype=dtype)
        x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=dtype)
        loss_of = lambda out: 0.5 * torch.nn.functional.mse_loss(out, y)
    else:
        labels = torch.randint(0, outputs, (batch,))
        loss_of = lambda out: torch.nn.functional.cross_entropy(out, labels)

    def step():
        optimizer.zero_grad()
        loss = loss_of(network(x))
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def median_microseconds(step):
    for _ in range(10):
        step()
    start = time.perf_counter()
    step()
    once = time.perf_counter() - start
    repeats = max(1, int(0.05 / max(once, 1e-7)))
    rounds = []
    for _ in range(15):
        start = time.perf_counter()
        for _ in range(repeats):
            step()
        rounds.append((time.perf_counter() - start) / repeats * 1e6)
    rounds.sort()
    return rounds[len(rounds) // 2]


if __name__ == "__main__":
    cores = len(os.sched_getaffinity(0))
    result = {"torch": torch.__version__, "steps": {}}
    for name, spec in STEPS.items():
        times = {}
        for threads in sorted({1, cores}):
            torch.set_num_threads(threads)
            times[threads] = median_microseconds(make_step(*spec))
        best = min(times, key=times.get)
        result["steps"][name] = {"microseconds": times[best], "threads": best, "by_threads": times}
    print(json.dumps(result))
