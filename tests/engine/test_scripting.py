"""The restricted script engine, exercised through real (tiny) BPMN processes run by SpiffWorkflow."""
from __future__ import annotations

import threading
import time
from datetime import datetime
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.event_definitions.message import CorrelationProperty, MessageEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.scripting import RestrictedScriptEngine, ScriptPolicy
from engine.bpmn.timer_literals import is_iso8601_timer_literal

DEFINITIONS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="definitions" targetNamespace="http://example.org/scripting">
  <bpmn:process id="proc" isExecutable="true">
{body}
  </bpmn:process>
</bpmn:definitions>"""


def script(task_id: str, code: str) -> str:
    return (f'<bpmn:scriptTask id="{task_id}" name="{task_id}">'
            f'<bpmn:script>{escape(code)}</bpmn:script></bpmn:scriptTask>')


def manual(task_id: str, prescript: str | None = None) -> str:
    extension = "" if prescript is None else (
        f"<bpmn:extensionElements><spiffworkflow:preScript>{escape(prescript)}</spiffworkflow:preScript>"
        "</bpmn:extensionElements>")
    return f'<bpmn:manualTask id="{task_id}" name="{task_id}">{extension}</bpmn:manualTask>'


def timer(task_id: str, expression: str, kind: str = "timeDuration") -> str:
    return (f'<bpmn:intermediateCatchEvent id="{task_id}" name="{task_id}"><bpmn:timerEventDefinition>'
            f'<bpmn:{kind} xsi:type="bpmn:tFormalExpression">{escape(expression)}</bpmn:{kind}>'
            '</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')


def linear(*elements: str) -> str:
    """start -> each element in order -> end; element ids are read back from the snippets."""
    ids = ["start"] + [e.split('id="', 1)[1].split('"', 1)[0] for e in elements] + ["end"]
    flows = [f'<bpmn:sequenceFlow id="flow{i}" sourceRef="{a}" targetRef="{b}"/>'
             for i, (a, b) in enumerate(zip(ids, ids[1:]))]
    return "\n".join(['<bpmn:startEvent id="start"/>', *elements, '<bpmn:endEvent id="end"/>', *flows])


def workflow(body: str, engine=None) -> BpmnWorkflow:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(DEFINITIONS.format(body=body).encode(), "test.bpmn")
    spec = parser.get_spec("proc")
    return BpmnWorkflow(spec, parser.get_subprocess_specs("proc"), script_engine=engine or RestrictedScriptEngine())


def run(body: str, engine=None) -> BpmnWorkflow:
    wf = workflow(body, engine)
    wf.do_engine_steps()
    return wf


def data_of(wf: BpmnWorkflow, spec_name: str) -> dict:
    return wf.get_tasks(spec_name=spec_name)[0].data


@pytest.fixture
def task():
    """A real READY task, for calling the engine directly."""
    wf = run(linear(manual("wait")))
    return wf.get_tasks(state=TaskState.READY, manual=True)[0]


def test_a_normal_script_computes_with_the_allowed_builtins():
    code = "\n".join([
        "amounts = [12.5, 7.5, 30]",
        "total = sum(amounts)",
        "low, high = min(amounts), max(amounts)",
        "ranked = sorted(amounts, reverse=True)",
        "pairs = {name: i for i, name in enumerate(['a', 'b'])}",
        "due = (datetime(2027, 1, 15, tzinfo=timezone.utc) + timedelta(days=2)).date().isoformat()",
        "root = math.sqrt(16) + math.floor(math.pi)",
        "count = 0",
        "for a, b in zip(amounts, ranked):",
        "    count += 1",
        "nested = {'rows': []}",
        "nested['rows'].append(len(list(range(3))))",
        "print('printing is harmless')",
    ])
    wf = run(linear(script("compute", code)))
    assert wf.is_completed()
    data = data_of(wf, "compute")
    assert data["total"] == 50 and (data["low"], data["high"]) == (7.5, 30)
    assert data["ranked"] == [30, 12.5, 7.5] and data["pairs"] == {"a": 0, "b": 1}
    assert data["due"] == "2027-01-17" and data["root"] == 7.0
    assert data["count"] == 3 and data["nested"] == {"rows": [3]}


GATEWAY = """
<bpmn:startEvent id="start"/>
<bpmn:scriptTask id="compute"><bpmn:script>total = sum(amounts)</bpmn:script></bpmn:scriptTask>
<bpmn:exclusiveGateway id="gateway" default="to_small"/>
<bpmn:scriptTask id="big"><bpmn:script>route = 'big'</bpmn:script></bpmn:scriptTask>
<bpmn:scriptTask id="small"><bpmn:script>route = 'small'</bpmn:script></bpmn:scriptTask>
<bpmn:endEvent id="end_big"/>
<bpmn:endEvent id="end_small"/>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="amounts"/>
<bpmn:scriptTask id="amounts"><bpmn:script>amounts = {amounts}</bpmn:script></bpmn:scriptTask>
<bpmn:sequenceFlow id="f2" sourceRef="amounts" targetRef="compute"/>
<bpmn:sequenceFlow id="f3" sourceRef="compute" targetRef="gateway"/>
<bpmn:sequenceFlow id="to_big" sourceRef="gateway" targetRef="big">
  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">total &gt; 10 and max(amounts) &gt;= 5
  </bpmn:conditionExpression>
</bpmn:sequenceFlow>
<bpmn:sequenceFlow id="to_small" sourceRef="gateway" targetRef="small"/>
<bpmn:sequenceFlow id="f4" sourceRef="big" targetRef="end_big"/>
<bpmn:sequenceFlow id="f5" sourceRef="small" targetRef="end_small"/>
"""


@pytest.mark.parametrize("amounts, route", [([5, 9], "big"), ([1, 2], "small")])
def test_a_gateway_condition_is_evaluated(amounts, route):
    wf = run(GATEWAY.format(amounts=amounts))
    assert wf.is_completed()
    assert data_of(wf, route)["route"] == route
    assert wf.get_tasks(spec_name={"big": "small", "small": "big"}[route], state=TaskState.COMPLETED) == []


def test_task_data_shadows_builtin_names_without_error(task):
    task.data.update(sum=5, max=2, date="2027-01-15")
    engine = RestrictedScriptEngine()
    engine.execute(task, "result = sum + max")
    assert task.data["result"] == 7 and task.data["date"] == "2027-01-15"
    assert engine.evaluate(task, "sum * 2") == 10


def test_guards_support_ordinary_python(task):
    engine = RestrictedScriptEngine()
    engine.execute(task, "\n".join([
        "d = {}", "d['k'] = [1]", "d['k'][0] = d['k'][0] + 4", "a, (b, c) = 1, (2, 3)", "acc = []",
        "for x, y in [(1, 2), (3, 4)]:", "    acc.append(x * y)", "s = 'abc'", "s += 'd'",
        "t = tuple(reversed([1, 2]))", "m = list(map(abs, filter(bool, [-1, 0, 2])))",
        "ok = all([isinstance(b, int), any([False, True])]) and round(2.567, 1) == 2.6",
        "del s",
    ]))
    assert task.data["d"] == {"k": [5]} and (task.data["a"], task.data["b"], task.data["c"]) == (1, 2, 3)
    assert task.data["acc"] == [2, 12] and task.data["t"] == (2, 1) and task.data["m"] == [1, 2]
    assert task.data["ok"] is True and "s" not in task.data


def test_non_data_names_are_removed_so_the_workflow_stays_serializable():
    code = ("def double(x):\n    return x * 2\nhalf = lambda x: x / 2\nm = math\nfn = sum\n"
            "y = double(2) + half(4)\nwhen = datetime(2027, 1, 15)")
    wf = run(linear(script("define", code), manual("wait")))
    data = data_of(wf, "define")
    assert data == {"y": 6.0, "when": datetime(2027, 1, 15)}
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    assert serializer.serialize_json(wf)


def test_a_prescript_goes_through_the_restricted_engine():
    with pytest.raises(WorkflowTaskException) as info:
        run(linear(manual("review", prescript="import os")))
    assert "imports are not allowed" in str(info.value)
    assert "Pre-Script" in str(info.value)


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / "marker.txt"
    path.write_text("intact")
    return path


ATTACKS = {
    "import": ("import os\nos.remove(marker)",
               'Script refused: Line 1: "import os" is not allowed (imports are not allowed in scripts)'),
    "from-import": ("from shutil import rmtree\nrmtree(marker)", "imports are not allowed in scripts"),
    "open-read": ("open('/etc/passwd').read()", "NameError: name 'open' is not defined"),
    "open-write": ("open(marker, 'w').write('pwned')", "NameError: name 'open' is not defined"),
    "subclasses": ("x = ().__class__.__mro__[1].__subclasses__()", "Script refused"),
    "lambda-globals": ("f = lambda: 0\ng = getattr(f, '__globals__')\ng['__builtins__']['open'](marker, 'w')",
                       '"__globals__" is not accessible in scripts'),
    "def-globals": ("def f():\n    pass\ng = getattr(f, '__globals__', None)",
                    '"__globals__" is not accessible in scripts'),
    "eval": ("eval('1')", "Eval calls are not allowed"),
    "eval-import": ("eval(\"__import__('os').remove(marker)\")", "Eval calls are not allowed"),
    "exec": ("exec('x = 1')", "Exec calls are not allowed"),
    "dunder-import": ("__import__('os').remove(marker)", '"__import__" is an invalid variable name'),
    "compile": ("c = compile('1', 'x', 'eval')", "NameError: name 'compile' is not defined"),
    "globals": ("g = globals()['__builtins__']", "KeyError"),
    "vars": ("v = vars(str)", "vars() takes no argument in scripts"),
    "type3": ("T = type('T', (), {})", "NameError: name 'type' is not defined"),
    "mro": ("o = str.mro()[1]", '"mro" is not accessible in scripts'),
    "format": ("s = '{0.__class__}'.format(1)", "format*() methods of `str` is not safe"),
    "frame": ("g = (x for x in [1])\nf = g.gi_frame", '"gi_frame" is a restricted name'),
    "frame-getattr": ("g = (x for x in [1])\nf = getattr(g, 'gi_frame')", '"gi_frame" is not accessible in scripts'),
    "huge-range": ("r = range(10**9)", "range() would produce more than 1000000 items"),
}


@pytest.mark.parametrize("code, message", ATTACKS.values(), ids=ATTACKS.keys())
def test_dangerous_scripts_are_stopped_and_the_host_is_untouched(code, message, marker):
    body = linear(script("setup", f"marker = {str(marker)!r}"), script("attack", code))
    wf = workflow(body)
    with pytest.raises(WorkflowTaskException) as info:
        wf.do_engine_steps()
    text = str(info.value)
    assert message in text
    assert isinstance(info.value.line_number, int) and info.value.line_number >= 1
    assert [t.task_spec.name for t in wf.get_tasks(state=TaskState.ERROR)] == ["attack"]
    assert marker.read_text() == "intact"


def test_the_plain_engine_really_is_dangerous(marker):
    """Proves the attacks above are real: SpiffWorkflow's default engine lets them through."""
    run(linear(script("attack", f"import os\nos.remove({str(marker)!r})")), PythonScriptEngine())
    assert not marker.exists()


def test_an_endless_loop_is_stopped_within_the_time_limit():
    engine = RestrictedScriptEngine(ScriptPolicy(time_limit_seconds=0.5))
    wf = workflow(linear(script("spin", "while True: pass")), engine)
    started = time.monotonic()
    with pytest.raises(WorkflowTaskException) as info:
        wf.do_engine_steps()
    assert time.monotonic() - started < 5
    assert "Script exceeded its time limit of 0.5 s" in str(info.value)
    assert info.value.line_number == 1


@pytest.mark.parametrize("code", [
    "while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass",
    "try:\n    while True: pass\nfinally:\n    while True: pass",
    "x = [i for i in range(10**6) for j in range(10**6)]",
    "f = lambda n: n and f(n - 1) + f(n - 1)\nx = f(60)",
])
def test_a_script_cannot_swallow_or_dodge_the_deadline(task, code):
    engine = RestrictedScriptEngine(ScriptPolicy(time_limit_seconds=0.3))
    started = time.monotonic()
    with pytest.raises(WorkflowTaskException, match="exceeded its time limit"):
        engine.execute(task, code)
    assert time.monotonic() - started < 5


def test_the_deadline_works_outside_the_main_thread(task):
    engine = RestrictedScriptEngine(ScriptPolicy(time_limit_seconds=0.3))
    outcome = {}

    def spin():
        started = time.monotonic()
        try:
            engine.execute(task, "n = 0\nwhile True:\n    n += 1")
        except WorkflowTaskException as error:
            outcome["error"], outcome["elapsed"] = str(error), time.monotonic() - started

    thread = threading.Thread(target=spin)
    thread.start()
    thread.join(10)
    assert not thread.is_alive()
    assert "exceeded its time limit of 0.3 s" in outcome["error"] and outcome["elapsed"] < 5


def test_a_range_within_the_policy_is_allowed(task):
    engine = RestrictedScriptEngine(ScriptPolicy(max_range=10))
    engine.execute(task, "a = list(range(10))")
    assert task.data["a"] == list(range(10))
    with pytest.raises(WorkflowTaskException, match="more than 10 items"):
        engine.execute(task, "a = range(11)")


SHARED = linear(
    script("make", "items = [1]\nmeta = {'tags': ['a']}\nrows = [{'n': 1}]"),
    script("append", "items.append(2)\nmeta['tags'].append('b')\nrows[0]['n'] = 2"),
)
BEFORE = {"items": [1], "meta": {"tags": ["a"]}, "rows": [{"n": 1}]}
AFTER = {"items": [1, 2], "meta": {"tags": ["a", "b"]}, "rows": [{"n": 2}]}


def test_the_plain_engine_lets_a_script_corrupt_earlier_task_data():
    """The SpiffWorkflow trap: 3.2.0 copies each top-level value shallowly, so `items` survives
    but anything nested one level down is shared, and history gets rewritten."""
    wf = run(SHARED, PythonScriptEngine())
    assert data_of(wf, "append") == AFTER
    assert data_of(wf, "make") != BEFORE
    assert data_of(wf, "make")["meta"] == {"tags": ["a", "b"]} and data_of(wf, "make")["rows"] == [{"n": 2}]


def test_a_script_cannot_change_the_data_of_earlier_tasks():
    wf = run(SHARED)
    assert wf.is_completed()
    assert data_of(wf, "make") == BEFORE
    assert data_of(wf, "append") == AFTER


def test_an_expression_sees_data_used_inside_comprehensions_and_lambdas(task):
    task.data.update(items=[3, 8], limit=5, factor=2)
    engine = RestrictedScriptEngine()
    assert engine.evaluate(task, "any(x > limit for x in items) and (lambda v: v * factor)(2) == 4")
    assert engine.evaluate(task, "dmninputexpr in (1, 2)", external_context={"dmninputexpr": 2})  # as DMN does


def test_an_expression_cannot_mutate_task_data(task):
    task.data["items"] = [1]
    assert RestrictedScriptEngine().evaluate(task, "items.append(2) is None and len(items) == 2")
    assert task.data["items"] == [1]


def test_a_syntax_error_gives_a_clean_error_with_a_line_number(task):
    with pytest.raises(WorkflowTaskException) as info:
        RestrictedScriptEngine().execute(task, "x = 1\ny = (2 +\n")
    text = str(info.value)
    assert "Script has a syntax error" in text and "Line 2" in text
    assert info.value.line_number == 2


def test_a_runtime_error_reports_its_line(task):
    with pytest.raises(WorkflowTaskException) as info:
        RestrictedScriptEngine().execute(task, "a = 1\nb = a / 0")
    assert str(info.value).startswith("ZeroDivisionError: division by zero")
    assert info.value.line_number == 2 and info.value.error_line == "b = a / 0"


def test_a_failing_gateway_condition_names_the_expression():
    body = GATEWAY.format(amounts=[1]).replace("total &gt; 10", "totl &gt; 10")
    with pytest.raises(WorkflowTaskException) as info:
        run(body)
    text = str(info.value)
    assert "NameError: name 'totl' is not defined" in text and "totl > 10" in text


def test_a_refused_expression_is_reported(task):
    with pytest.raises(WorkflowTaskException, match="Expression refused"):
        RestrictedScriptEngine().evaluate(task, "().__class__")


@pytest.mark.parametrize("text", [
    "PT48H", "P1D", "P1Y2M", "PT0.5S", "P2W", "P1DT12H30M", "2027-01-15T09:00:00Z",
    "2027-01-15T09:00:00+01:00", "2027-01-15", "2027-01-15T09:00", "R3/P1D", "R/PT1H",
    "R5/2027-01-15T09:00:00Z/P1D", "R2/P1D/2027-01-15T09:00:00Z",
])
def test_iso8601_timer_literals_are_recognised(text):
    assert is_iso8601_timer_literal(text)


@pytest.mark.parametrize("text", [
    '"PT1H"', "'PT1H'", "deadline", "PT", "P", "2027-13-45", "R3/", "R3", "P1W2D", "PT1.5H30M",
    "2027-01-15Z", "pt1h", "PT1H ", "deadline_duration", 'f"PT{hours}H"', "", "R3/P1D/P2D",
])
def test_other_text_is_not_a_timer_literal(text):
    assert not is_iso8601_timer_literal(text)


def fires_after_a_short_wait(wf: BpmnWorkflow) -> bool:
    assert not wf.is_completed() and wf.waiting_events()
    time.sleep(0.05)
    wf.refresh_timers()
    wf.do_engine_steps()
    return wf.is_completed()


@pytest.mark.parametrize("expression", ["PT0.01S", "  PT0.01S\n  ", '"PT0.01S"', 'f"PT{delay}S"'])
def test_a_timer_duration_may_be_a_literal_or_python(expression):
    wf = run(linear(script("setup", "delay = 0.01"), timer("pause", expression)))
    assert fires_after_a_short_wait(wf)


def test_a_timer_duration_may_come_from_a_data_variable():
    wf = run(linear(script("setup", "deadline_duration = 'PT0.01S'"), timer("pause", "deadline_duration")))
    assert fires_after_a_short_wait(wf)


def test_a_past_time_date_literal_fires_at_once():
    wf = run(linear(timer("when", "2000-01-15T09:00:00Z", kind="timeDate")))
    wf.refresh_timers()
    wf.do_engine_steps()
    assert wf.is_completed()


def test_message_correlations_use_the_restricted_environment():
    """Spiff evaluates correlation keys via `script_engine.environment`, bypassing evaluate()."""
    engine = RestrictedScriptEngine(ScriptPolicy(time_limit_seconds=0.3))
    definition = MessageEventDefinition("payment")
    good = CorrelationProperty("order", "order_id * 2", ["key"])
    assert definition.calculate_correlations(engine, [good], {"order_id": 21}) == {"key": {"order": 42}}
    escape_attempt = CorrelationProperty("order", "__import__('os').getcwd()", ["key"])
    with pytest.raises(Exception, match='"__import__" is an invalid variable name'):
        definition.calculate_correlations(engine, [escape_attempt], {})
    endless = CorrelationProperty("order", "[a for a in range(10**6) for b in range(10**6)]", ["key"])
    with pytest.raises(Exception, match="exceeded its time limit of 0.3 s"):
        definition.calculate_correlations(engine, [endless], {})


def test_a_literal_is_only_accepted_inside_a_timer(task):
    with pytest.raises(WorkflowTaskException, match="NameError: name 'PT1H' is not defined"):
        RestrictedScriptEngine().evaluate(task, "PT1H")


def test_globals_and_locals_read_variables_that_may_not_exist(task):
    """SpiffArena's models test for optional data with globals()/locals(); reading works, writing
    to the copy changes nothing, and neither reaches the builtins."""
    task.data.update(approved=True, note="urgent")
    engine = RestrictedScriptEngine()
    engine.execute(task, "\n".join([
        "reason = globals().get('reason', 'none given')",
        "has_note = 'note' in locals()",
        "names = sorted(vars())",
        "globals()['smuggled'] = 1",
    ]))
    assert task.data["reason"] == "none given" and task.data["has_note"] is True
    assert "smuggled" not in task.data and "sum" not in task.data["names"]
    assert {"approved", "note"} <= set(task.data["names"])
    assert engine.evaluate(task, "locals().get('approved', False) and 'missing' not in globals()") is True
    with pytest.raises(WorkflowTaskException):
        engine.execute(task, "x = vars(math)")
