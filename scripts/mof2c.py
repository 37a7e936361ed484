#!/usr/bin/env python3
"""mof2c.py -- write the C files omigen / Convert-MofToProvider write for a MOF.

Reads the small MOF subset mi-psrp's test and sample modules use and writes,
beside the MOF, in the shape those generators give them:

  <Class>.h   for every class the schema needs: the structure (MI_Instance
              __instance, then the properties, inherited ones first), the
              _Ref/_Array typedefs, _Construct/_Clone/_IsA/_Destruct/_Delete/
              _Post, the _Set_/_SetPtr_/_Clear_ helpers (strings, arrays,
              references and instances through ft->SetElementAt with 0 or
              MI_FLAG_BORROW; other scalars written into .value/.exists),
              every method's parameter structure (MIReturn first, stream
              parameters left out) and its helpers, and for a provider class
              its function prototypes;
  schema.c    qualifier declarations (with --standard-qualifiers), each
              class's MI_PropertyDecls (hash code, offsetof, origin,
              propagator), MI_ParameterDecls and MI_MethodDecls (function =
              the class's _Invoke_ stub), a provider class's MI_ProviderFT,
              the MI_ClassDecls (superclass decls linked), the MI_SchemaDecl
              and the MI_Server_* functions;
  module.c    MI_Main (created when missing; when it exists only MI_Main's
              body is replaced, as omigen patches it, so Load/Unload stay the
              developer's).

The class .c files (the provider functions) are the developer's and are not
written. The command line can be given in the MOF itself, on a line
`// mof2c: <options>`; then `scripts/mof2c.py path/to/file.mof` regenerates
and `--check` tells whether the files on disk are what it would write.

MOF subset: `[qualifiers] class Name [: Super] { members };` with properties
`[quals] type Name[];` (`Class REF Name` for references) and methods
`[quals] type Name([quals] type Name[], ...);`. Qualifiers: Key, In, Out,
Static, Stream, Abstract, Required, Read (boolean, become flags),
Description("..."), EmbeddedInstance("Class"). Types: boolean, uint8..sint64,
real32, real64, char16, datetime, string.

Deliberate differences from omigen, each one a thing omigen refuses: a
reference ARRAY as a class property (omigen: "reference arrays are not
allowed as properties") is written as omigen writes a reference-array
parameter (`<Class>_ConstArrayRef`, MI_REFERENCEA); everything else follows
omigen (gen.cpp) and the Windows header flavour (SAL annotations) of
tests/c/generated/.
"""

import argparse
import os
import re
import shlex
import sys

# ---------------------------------------------------------------- the MOF ---

TYPES = {
    "boolean": ("MI_BOOLEAN", "Boolean"),
    "uint8": ("MI_UINT8", "Uint8"),
    "sint8": ("MI_SINT8", "Sint8"),
    "uint16": ("MI_UINT16", "Uint16"),
    "sint16": ("MI_SINT16", "Sint16"),
    "uint32": ("MI_UINT32", "Uint32"),
    "sint32": ("MI_SINT32", "Sint32"),
    "uint64": ("MI_UINT64", "Uint64"),
    "sint64": ("MI_SINT64", "Sint64"),
    "real32": ("MI_REAL32", "Real32"),
    "real64": ("MI_REAL64", "Real64"),
    "char16": ("MI_CHAR16", "Char16"),
    "datetime": ("MI_DATETIME", "Datetime"),
    "string": ("MI_STRING", "String"),
}

BOOLEAN_QUALS = {
    "key": "KEY",
    "in": "IN",
    "out": "OUT",
    "static": "STATIC",
    "stream": "STREAM",
    "abstract": "ABSTRACT",
    "required": "REQUIRED",
    "read": "READONLY",
}
STRING_QUALS = {"description": "Description", "embeddedinstance": "EmbeddedInstance"}

# Standard qualifier declarations (DSP0004), for --standard-qualifiers:
# name -> (type, scope, flavor, value)
STANDARD_QUAL_DECLS = {
    "Abstract": ("MI_BOOLEAN", "MI_FLAG_ASSOCIATION|MI_FLAG_CLASS|MI_FLAG_INDICATION",
                 "MI_FLAG_ENABLEOVERRIDE|MI_FLAG_RESTRICTED", "0"),
    "Description": ("MI_STRING", "MI_FLAG_ANY",
                    "MI_FLAG_ENABLEOVERRIDE|MI_FLAG_TOSUBCLASS|MI_FLAG_TRANSLATABLE", None),
    "EmbeddedInstance": ("MI_STRING", "MI_FLAG_METHOD|MI_FLAG_PARAMETER|MI_FLAG_PROPERTY",
                         "MI_FLAG_ENABLEOVERRIDE|MI_FLAG_TOSUBCLASS", None),
    "In": ("MI_BOOLEAN", "MI_FLAG_PARAMETER",
           "MI_FLAG_DISABLEOVERRIDE|MI_FLAG_TOSUBCLASS", "1"),
    "Key": ("MI_BOOLEAN", "MI_FLAG_PROPERTY|MI_FLAG_REFERENCE",
            "MI_FLAG_DISABLEOVERRIDE|MI_FLAG_TOSUBCLASS", "0"),
    "Out": ("MI_BOOLEAN", "MI_FLAG_PARAMETER",
            "MI_FLAG_DISABLEOVERRIDE|MI_FLAG_TOSUBCLASS", "0"),
    "Read": ("MI_BOOLEAN", "MI_FLAG_PROPERTY",
             "MI_FLAG_ENABLEOVERRIDE|MI_FLAG_TOSUBCLASS", "1"),
    "Required": ("MI_BOOLEAN", "MI_FLAG_PARAMETER|MI_FLAG_PROPERTY|MI_FLAG_REFERENCE",
                 "MI_FLAG_DISABLEOVERRIDE|MI_FLAG_TOSUBCLASS", "0"),
    "Static": ("MI_BOOLEAN", "MI_FLAG_METHOD|MI_FLAG_PROPERTY",
               "MI_FLAG_DISABLEOVERRIDE|MI_FLAG_TOSUBCLASS", "0"),
    "Stream": ("MI_BOOLEAN", "MI_FLAG_PARAMETER",
               "MI_FLAG_ENABLEOVERRIDE|MI_FLAG_TOSUBCLASS", "0"),
}
QUAL_CANON = {n.lower(): n for n in STANDARD_QUAL_DECLS}

# omigen's MakeFlags order.
FLAG_ORDER = ["CLASS", "METHOD", "PROPERTY", "PARAMETER", "ASSOCIATION", "INDICATION",
              "REFERENCE", "KEY", "IN", "OUT", "REQUIRED", "STATIC", "ABSTRACT", "TERMINAL",
              "EXPENSIVE", "STREAM", "READONLY"]


class MofError(Exception):
    pass


def tokenize(text, path):
    toks = []
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise MofError(f"{path}:{line}: unterminated comment")
            line += text.count("\n", i, j)
            i = j + 2
        elif c == '"':
            j, s = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                s.append(text[j])
                j += 1
            if j >= n:
                raise MofError(f"{path}:{line}: unterminated string")
            toks.append(("str", "".join(s), line))
            i = j + 1
        elif c.isalpha() or c == "_":
            m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(text, i)
            toks.append(("id", m.group(0), line))
            i = m.end()
        elif c.isdigit() or c == "-":
            m = re.compile(r"-?[0-9][0-9A-Za-z.]*").match(text, i)
            toks.append(("num", m.group(0), line))
            i = m.end()
        elif c in "[](){},;:":
            toks.append(("p", c, line))
            i += 1
        else:
            raise MofError(f"{path}:{line}: unexpected {c!r}")
    toks.append(("eof", None, line))
    return toks


class Feature:
    """A property or a parameter."""

    def __init__(self, name, mof_type, ref_class, is_array, quals, line):
        self.name = name
        self.mof_type = mof_type  # key of TYPES, or None for a reference
        self.ref_class = ref_class
        self.is_array = is_array
        self.quals = quals  # canonical name -> True or str, in MOF order
        self.line = line
        self.origin = None
        self.propagator = None

    def has(self, q):
        return q in self.quals

    @property
    def embedded_class(self):
        v = self.quals.get("EmbeddedInstance")
        return v if isinstance(v, str) else None

    @property
    def is_ref(self):
        return self.ref_class is not None

    @property
    def is_instance(self):
        return self.embedded_class is not None

    @property
    def class_name(self):
        return self.ref_class or self.embedded_class

    @property
    def mi_type(self):
        """The MI_Type of the declaration (an embedded instance is MI_INSTANCE)."""
        if self.is_ref:
            base = "MI_REFERENCE"
        elif self.is_instance:
            base = "MI_INSTANCE"
        else:
            base = TYPES[self.mof_type][0]
        return base + ("A" if self.is_array else "")

    @property
    def type_name(self):
        if self.is_ref:
            return "Reference"
        if self.is_instance:
            return "Instance"
        return TYPES[self.mof_type][1]


class Method:
    def __init__(self, name, ret_type, quals, params, line):
        self.name = name
        self.ret_type = ret_type
        self.quals = quals
        self.params = params
        self.line = line
        self.origin = None
        self.propagator = None

    def mireturn(self):
        f = Feature("MIReturn", self.ret_type, None, False,
                    {k: v for k, v in self.quals.items() if not isinstance(v, bool)}, self.line)
        f.quals["Out"] = True
        return f


class Class:
    def __init__(self, name, superclass, quals, props, methods, line):
        self.name = name
        self.superclass = superclass
        self.quals = quals
        self.own_props = props
        self.own_methods = methods
        self.line = line
        self.props = []  # all, inherited first
        self.methods = []


class Parser:
    def __init__(self, text, path):
        self.toks = tokenize(text, path)
        self.i = 0
        self.path = path

    def peek(self, k=0):
        return self.toks[self.i + k]

    def next(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def err(self, msg, tok=None):
        tok = tok or self.peek()
        raise MofError(f"{self.path}:{tok[2]}: {msg} (at {tok[1]!r})")

    def expect(self, kind, value=None):
        t = self.next()
        if t[0] != kind or (value is not None and t[1] != value):
            self.err(f"expected {value or kind}", t)
        return t

    def accept(self, kind, value):
        t = self.peek()
        if t[0] == kind and t[1] == value:
            self.i += 1
            return True
        return False

    def qualifiers(self):
        quals = {}
        if not self.accept("p", "["):
            return quals
        while True:
            t = self.expect("id")
            low = t[1].lower()
            if low in BOOLEAN_QUALS:
                quals[QUAL_CANON[low]] = True
                if self.accept("p", "("):
                    v = self.expect("id")
                    if v[1].lower() not in ("true", "false"):
                        self.err("expected true or false", v)
                    if v[1].lower() == "false":
                        del quals[QUAL_CANON[low]]
                    self.expect("p", ")")
            elif low in STRING_QUALS:
                self.expect("p", "(")
                quals[STRING_QUALS[low]] = self.expect("str")[1]
                self.expect("p", ")")
            else:
                self.err("qualifier not in mof2c.py's subset", t)
            if self.accept("p", "]"):
                return quals
            self.expect("p", ",")

    def type_and_name(self):
        """type [REF] name [[]] -> Feature (without qualifiers)."""
        t = self.expect("id")
        ref_class = None
        mof_type = t[1].lower()
        if self.peek()[0] == "id" and self.peek()[1].upper() == "REF":
            self.next()
            ref_class, mof_type = t[1], None
        elif mof_type not in TYPES:
            self.err("type not in mof2c.py's subset", t)
        name = self.expect("id")
        is_array = False
        if self.accept("p", "["):
            self.expect("p", "]")
            is_array = True
        return Feature(name[1], mof_type, ref_class, is_array, {}, name[2])

    def parse(self):
        classes = []
        while self.peek()[0] != "eof":
            quals = self.qualifiers()
            kw = self.expect("id")
            if kw[1].lower() != "class":
                self.err("expected class", kw)
            name = self.expect("id")[1]
            sup = self.expect("id")[1] if self.accept("p", ":") else None
            self.expect("p", "{")
            props, methods = [], []
            while not self.accept("p", "}"):
                mq = self.qualifiers()
                line = self.peek()[2]
                f = self.type_and_name()
                if self.accept("p", "("):
                    if f.is_array or f.is_ref:
                        self.err("method return types are scalars here")
                    params = []
                    while not self.accept("p", ")"):
                        pq = self.qualifiers()
                        p = self.type_and_name()
                        p.quals = pq
                        params.append(p)
                        if self.peek()[1] != ")":
                            self.expect("p", ",")
                    methods.append(Method(f.name, f.mof_type, mq, params, line))
                else:
                    f.quals = mq
                    props.append(f)
                self.expect("p", ";")
            self.expect("p", ";")
            classes.append(Class(name, sup, quals, props, methods, kw[2]))
        return classes


def resolve(classes):
    by_name = {}
    for c in classes:
        if c.name.lower() in by_name:
            raise MofError(f"class {c.name} declared twice")
        by_name[c.name.lower()] = c
    done = set()

    def walk(c, stack=()):
        if c.name in done:
            return
        if c.name in stack:
            raise MofError(f"class {c.name} inherits from itself")
        props, methods = [], []
        if c.superclass:
            sup = by_name.get(c.superclass.lower())
            if not sup:
                raise MofError(f"{c.name}: unknown superclass {c.superclass}")
            c.superclass = sup.name
            walk(sup, stack + (c.name,))
            props = list(sup.props)
            methods = list(sup.methods)
        for p in c.own_props:
            p.origin = p.propagator = c.name
            for i, q in enumerate(props):
                if q.name.lower() == p.name.lower():
                    p.origin = q.origin
                    props[i] = p
                    break
            else:
                props.append(p)
        for m in c.own_methods:
            m.origin = m.propagator = c.name
            methods.append(m)
        c.props, c.methods = props, methods
        done.add(c.name)

    for c in classes:
        walk(c)
    for c in classes:
        feats = list(c.own_props) + [p for m in c.own_methods for p in m.params]
        for f in feats:
            cn = f.class_name
            if cn:
                if cn.lower() not in by_name:
                    raise MofError(f"{c.name}.{f.name}: unknown class {cn}")
                if f.is_instance and f.mof_type != "string":
                    raise MofError(f"{c.name}.{f.name}: EmbeddedInstance on a non-string")
            if f.has("Stream") and not (f.is_array and f.has("Out")):
                raise MofError(f"{c.name}.{f.name}: 'Stream' qualifiers may only appear on "
                               "output array parameters (omigen refuses others)")
            if f.name.lower() == "mireturn":
                raise MofError(f"{c.name}: reserved parameter name MIReturn")
    return by_name

# ------------------------------------------------------------- generation ---


def hash_code(name):
    """omigen's HashCode: tolower(first) << 16 | tolower(last) << 8 | length."""
    return "0x%08X" % ((ord(name[0].lower()) << 16) | (ord(name[-1].lower()) << 8) | len(name))


def make_flags(kind, f):
    flags = {kind}
    if isinstance(f, Feature) or isinstance(f, Method) or isinstance(f, Class):
        for q, v in f.quals.items():
            if v is True and q.lower() in BOOLEAN_QUALS:
                flags.add(BOOLEAN_QUALS[q.lower()])
    return "|".join("MI_FLAG_" + x for x in FLAG_ORDER if x in flags)


def c_string(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 32 <= o < 127:
            out.append(ch)
        elif o < 0x10000:
            out.append("\\u%04X" % o)
        else:
            out.append("\\U%08X" % o)
    return 'MI_T("' + "".join(out) + '")'


def rule():
    return "**" + "=" * 78


def comment_box(msg):
    return "/*\n%s\n**\n** %s\n**\n%s\n*/\n" % (rule(), msg, rule())


WARNING = "WARNING: THIS FILE WAS AUTOMATICALLY GENERATED. PLEASE DO NOT EDIT."


class Gen:
    def __init__(self, by_name, mof_rel, argv_text, opts):
        self.by_name = by_name
        self.mof_rel = mof_rel
        self.argv_text = argv_text
        self.opts = opts
        self.providers = [self.cls(n) for n in opts.providers]
        self.extra = [self.cls(n) for n in opts.extra]
        self.top = self.providers + [c for c in self.extra if c not in self.providers]
        self.provider_names = {c.name for c in self.providers}

    def cls(self, name):
        c = self.by_name.get(name.lower())
        if not c:
            raise MofError(f"unknown class {name}")
        return c

    def banner(self):
        return ("/* @migen@ */\n"
                "/* Generated by scripts/mof2c.py from %s, in the shape omigen /\n"
                " * Convert-MofToProvider generate. Regenerate with\n"
                " *   python3 scripts/mof2c.py %s\n"
                " * (options: %s). */\n") % (os.path.basename(self.mof_rel), self.mof_rel,
                                             self.argv_text)

    def deps(self, c):
        """omigen's FindDirectDependencies: superclass, then property and
        parameter class names, in order."""
        out = []

        def add(n):
            # (omigen would also list the class itself, for a class whose
            # method takes its own instances, and include its own header.)
            if n and n not in out and n != c.name:
                out.append(n)
        if c.superclass:
            out.append(c.superclass)
        for p in c.props:
            add(self.cls(p.class_name).name if p.class_name else None)
        for m in c.methods:
            for p in m.params:
                add(self.cls(p.class_name).name if p.class_name else None)
        return out

    def closure(self):
        order, seen = [], set()

        def visit(c):
            if c.name in seen:
                return
            seen.add(c.name)
            for d in self.deps(c):
                visit(self.cls(d))
            order.append(c)
        for c in self.top:
            visit(c)
        return order

    # ---- <Class>.h

    def field_decl(self, f):
        if f.class_name:
            al = self.cls(f.class_name).name
            return "%s_%s %s;" % (al, "ConstArrayRef" if f.is_array else "ConstRef", f.name)
        return "MI_Const%s%sField %s;" % (f.type_name, "A" if f.is_array else "", f.name)

    def setter(self, prefix, f, index):
        out = []
        if f.is_array:
            if f.is_ref:
                texpr, ty = "const %s* const*" % self.cls(f.ref_class).name, "MI_REFERENCEA"
            elif f.is_instance:
                texpr, ty = "const %s * const *" % self.cls(f.embedded_class).name, "MI_INSTANCEA"
            elif f.mof_type == "string":
                texpr, ty = "const MI_Char**", "MI_STRINGA"
            else:
                texpr, ty = "const MI_%s*" % f.type_name, f.mi_type
            for name, flag in (("_Set_", "0"), ("_SetPtr_", "MI_FLAG_BORROW")):
                out.append(
                    "MI_INLINE MI_Result MI_CALL %(p)s%(s)s%(n)s(\n"
                    "    _Inout_ %(p)s* self,\n"
                    "    _In_reads_opt_(size) %(t)s data,\n"
                    "    _In_ MI_Uint32 size)\n"
                    "{\n"
                    "    MI_Array arr;\n"
                    "    arr.data = (void*)data;\n"
                    "    arr.size = size;\n"
                    "    return self->__instance.ft->SetElementAt(\n"
                    "        (MI_Instance*)&self->__instance,\n"
                    "        %(i)d,\n"
                    "        (MI_Value*)&arr,\n"
                    "        %(ty)s,\n"
                    "        %(f)s);\n"
                    "}\n" % dict(p=prefix, s=name, n=f.name, t=texpr, i=index, ty=ty, f=flag))
        elif f.class_name:
            ty = "MI_REFERENCE" if f.is_ref else "MI_INSTANCE"
            for name, flag in (("_Set_", "0"), ("_SetPtr_", "MI_FLAG_BORROW")):
                out.append(
                    "MI_INLINE MI_Result MI_CALL %(p)s%(s)s%(n)s(\n"
                    "    _Inout_ %(p)s* self,\n"
                    "    _In_ const %(c)s* x)\n"
                    "{\n"
                    "    return self->__instance.ft->SetElementAt(\n"
                    "        (MI_Instance*)&self->__instance,\n"
                    "        %(i)d,\n"
                    "        (MI_Value*)&x,\n"
                    "        %(ty)s,\n"
                    "        %(f)s);\n"
                    "}\n" % dict(p=prefix, s=name, n=f.name, c=self.cls(f.class_name).name,
                                 i=index, ty=ty, f=flag))
        elif f.mof_type == "string":
            for name, flag in (("_Set_", "0"), ("_SetPtr_", "MI_FLAG_BORROW")):
                out.append(
                    "MI_INLINE MI_Result MI_CALL %(p)s%(s)s%(n)s(\n"
                    "    _Inout_ %(p)s* self,\n"
                    "    _In_z_ const MI_Char* str)\n"
                    "{\n"
                    "    return self->__instance.ft->SetElementAt(\n"
                    "        (MI_Instance*)&self->__instance,\n"
                    "        %(i)d,\n"
                    "        (MI_Value*)&str,\n"
                    "        MI_STRING,\n"
                    "        %(f)s);\n"
                    "}\n" % dict(p=prefix, s=name, n=f.name, i=index, f=flag))
        else:
            out.append(
                "MI_INLINE MI_Result MI_CALL %(p)s_Set_%(n)s(\n"
                "    _Inout_ %(p)s* self,\n"
                "    _In_ MI_%(t)s x)\n"
                "{\n"
                "    ((MI_%(t)sField*)&self->%(n)s)->value = x;\n"
                "    ((MI_%(t)sField*)&self->%(n)s)->exists = 1;\n"
                "    return MI_RESULT_OK;\n"
                "}\n" % dict(p=prefix, n=f.name, t=f.type_name))
        if f.is_array or f.class_name or f.mof_type == "string":
            out.append(
                "MI_INLINE MI_Result MI_CALL %(p)s_Clear_%(n)s(\n"
                "    _Inout_ %(p)s* self)\n"
                "{\n"
                "    return self->__instance.ft->ClearElementAt(\n"
                "        (MI_Instance*)&self->__instance,\n"
                "        %(i)d);\n"
                "}\n" % dict(p=prefix, n=f.name, i=index))
        else:
            out.append(
                "MI_INLINE MI_Result MI_CALL %(p)s_Clear_%(n)s(\n"
                "    _Inout_ %(p)s* self)\n"
                "{\n"
                "    memset((void*)&self->%(n)s, 0, sizeof(self->%(n)s));\n"
                "    return MI_RESULT_OK;\n"
                "}\n" % dict(p=prefix, n=f.name))
        return "\n".join(out)

    def class_properties(self, c, leaf):
        """GenProperties: the superclass's first, then this class's own."""
        out = []
        if c.superclass:
            out += self.class_properties(self.cls(c.superclass), leaf)
        out.append("    /* %s properties */" % c.name)
        for p in c.props:
            if p.origin != c.name:
                continue
            lp = next(q for q in leaf.props if q.name == p.name)
            key = "/*KEY*/ " if lp.has("Key") else ""
            out.append("    " + key + self.field_decl(p))
        return out

    def header(self, c):
        a = c.name
        o = [self.banner(), "/*\n%s\n**\n** %s\n**\n%s\n*/\n" % (rule(), WARNING, rule())]
        o.append("#ifndef _%s_h\n#define _%s_h\n\n#include <MI.h>" % (a, a))
        for d in self.deps(c):
            o.append('#include "%s.h"' % d)
        o.append("")
        keys = [p.name for p in c.props if p.has("Key")]
        o.append("/*\n%s\n**\n** %s [%s]\n**\n** Keys:\n%s**\n%s\n*/\n" % (
            rule(), a, a, "".join("**    %s\n" % k for k in keys), rule()))
        if c.superclass:
            o.append("typedef struct _%s /* extends %s */" % (a, c.superclass))
        else:
            o.append("typedef struct _%s" % a)
        o.append("{\n    MI_Instance __instance;")
        o += self.class_properties(c, c)
        o.append("}\n%s;\n" % a)
        o.append(REF_TYPEDEFS.replace("<ALIAS>", a))
        o.append("MI_EXTERN_C MI_CONST MI_ClassDecl %s_rtti;\n" % a)
        o.append(INSTANCE_FUNCTIONS.replace("<ALIAS>", a))
        for i, p in enumerate(c.props):
            o.append(self.setter(a, p, i))
        for m in c.methods:
            o.append(comment_box("%s.%s()" % (a, m.name)))
            o.append("typedef struct _%s_%s\n{\n    MI_Instance __instance;" % (a, m.name))
            o.append("    /*OUT*/ " + self.field_decl(m.mireturn()))
            for p in m.params:
                if p.has("Stream"):
                    continue
                tag = ("/*IN-OUT*/ " if p.has("In") and p.has("Out") else
                       "/*IN*/ " if p.has("In") else "/*OUT*/ " if p.has("Out") else "")
                o.append("    " + tag + self.field_decl(p))
            o.append("}\n%s_%s;\n" % (a, m.name))
            o.append(METHOD_FUNCTIONS.replace("<ALIAS>", a).replace("<METH>", m.name))
            o.append(self.setter("%s_%s" % (a, m.name), m.mireturn(), 0))
            for i, p in enumerate(m.params):
                if not p.has("Stream"):
                    o.append(self.setter("%s_%s" % (a, m.name), p, i + 1))
        if c.name in self.provider_names:
            o.append(comment_box("%s provider function prototypes" % a))
            o.append("/* The developer may optionally define this structure */\n"
                     "typedef struct _%s_Self %s_Self;\n" % (a, a))
            protos = COMMON_PROTOTYPES
            if any(p.has("Key") for p in c.props):
                protos += INSTANCE_PROTOTYPES
            o.append(protos.replace("<ALIAS>", a))
            for m in c.methods:
                o.append(METHOD_PROTOTYPE.replace("<ALIAS>", a).replace("<METH>", m.name))
        o.append("\n#endif /* _%s_h */" % a)
        return "\n".join(o) + "\n"

    # ---- schema.c

    def qualifiers(self, stem, quals):
        """GenQualifiers: the non-boolean qualifiers kept by the options."""
        out, names = [], []
        for q, v in quals.items():
            if v is True:
                continue  # boolean qualifiers are flags (omigen without -B)
            if q == "Description" and not self.opts.descriptions:
                continue
            s = "%s_%s_qual" % (stem, q)
            out.append("static MI_CONST MI_Char* %s_value = %s;\n" % (s, c_string(v)))
            out.append("static MI_CONST MI_Qualifier %s =\n{\n    MI_T(\"%s\"),\n    MI_STRING,\n"
                       "    %s,\n    &%s_value\n};\n" % (s, q, STANDARD_QUAL_DECLS[q][2], s))
            names.append(s)
        if not names:
            return "", None
        out.append("static MI_Qualifier MI_CONST* MI_CONST %s_quals[] =\n{\n%s};\n" % (
            stem, "".join("    &%s,\n" % n for n in names)))
        return "\n".join(out), "%s_quals" % stem

    def prop_decl(self, c, p):
        text, quals = self.qualifiers("%s_%s" % (c.name, p.name), p.quals)
        cn = c_string(self.cls(p.class_name).name) if p.class_name else "NULL"
        return text + ("\n" if text else "") + (
            "/* property %(c)s.%(n)s */\n"
            "static MI_CONST MI_PropertyDecl %(c)s_%(n)s_prop =\n{\n"
            "    %(flags)s, /* flags */\n"
            "    %(code)s, /* code */\n"
            "    MI_T(\"%(n)s\"), /* name */\n"
            "    %(q)s, /* qualifiers */\n"
            "    %(nq)s, /* numQualifiers */\n"
            "    %(t)s, /* type */\n"
            "    %(cn)s, /* className */\n"
            "    0, /* subscript */\n"
            "    offsetof(%(c)s, %(n)s), /* offset */\n"
            "    MI_T(\"%(o)s\"), /* origin */\n"
            "    MI_T(\"%(pr)s\"), /* propagator */\n"
            "    NULL,\n};\n" % dict(
                c=c.name, n=p.name, flags=make_flags("PROPERTY", p), code=hash_code(p.name),
                q=quals or "NULL", nq="MI_COUNT(%s)" % quals if quals else "0", t=p.mi_type,
                cn=cn, o=p.origin, pr=p.propagator))

    def param_decl(self, c, m, p):
        text, quals = self.qualifiers("%s_%s_%s" % (c.name, m.name, p.name), p.quals)
        cn = c_string(self.cls(p.class_name).name) if p.class_name else "NULL"
        off = ("0xFFFFFFFF" if p.has("Stream") else
               "offsetof(%s_%s, %s)" % (c.name, m.name, p.name))
        return text + ("\n" if text else "") + (
            "/* parameter %(c)s.%(m)s(): %(n)s */\n"
            "static MI_CONST MI_ParameterDecl %(c)s_%(m)s_%(n)s_param =\n{\n"
            "    %(flags)s, /* flags */\n"
            "    %(code)s, /* code */\n"
            "    MI_T(\"%(n)s\"), /* name */\n"
            "    %(q)s, /* qualifiers */\n"
            "    %(nq)s, /* numQualifiers */\n"
            "    %(t)s, /* type */\n"
            "    %(cn)s, /* className */\n"
            "    0, /* subscript */\n"
            "    %(off)s, /* offset */\n};\n" % dict(
                c=c.name, m=m.name, n=p.name, flags=make_flags("PARAMETER", p),
                code=hash_code(p.name), q=quals or "NULL",
                nq="MI_COUNT(%s)" % quals if quals else "0", t=p.mi_type, cn=cn, off=off))

    def method_decl(self, c, m):
        o = []
        text, quals = self.qualifiers("%s_%s" % (c.name, m.name), m.quals)
        if text:
            o.append(text)
        for p in m.params:
            o.append(self.param_decl(c, m, p))
        o.append(self.param_decl(c, m, m.mireturn()))
        o.append("static MI_ParameterDecl MI_CONST* MI_CONST %s_%s_params[] =\n{\n%s};\n" % (
            c.name, m.name, "".join("    &%s_%s_%s_param,\n" % (c.name, m.name, n)
                                    for n in ["MIReturn"] + [p.name for p in m.params])))
        stub = ("(MI_ProviderFT_Invoke)%s_Invoke_%s" % (c.name, m.name)
                if c.name in self.provider_names else "NULL")
        o.append(
            "/* method %(c)s.%(m)s() */\n"
            "MI_CONST MI_MethodDecl %(c)s_%(m)s_rtti =\n{\n"
            "    %(flags)s, /* flags */\n"
            "    %(code)s, /* code */\n"
            "    MI_T(\"%(m)s\"), /* name */\n"
            "    %(q)s, /* qualifiers */\n"
            "    %(nq)s, /* numQualifiers */\n"
            "    %(c)s_%(m)s_params, /* parameters */\n"
            "    MI_COUNT(%(c)s_%(m)s_params), /* numParameters */\n"
            "    sizeof(%(c)s_%(m)s), /* size */\n"
            "    %(t)s, /* returnType */\n"
            "    MI_T(\"%(o)s\"), /* origin */\n"
            "    MI_T(\"%(pr)s\"), /* propagator */\n"
            "    &schemaDecl, /* schema */\n"
            "    %(stub)s, /* method */\n};\n" % dict(
                c=c.name, m=m.name, flags=make_flags("METHOD", m), code=hash_code(m.name),
                q=quals or "NULL", nq="MI_COUNT(%s)" % quals if quals else "0",
                t=TYPES[m.ret_type][0], o=m.origin, pr=m.propagator, stub=stub))
        return "\n".join(o)

    def class_schema(self, c):
        o = [comment_box(c.name)]
        for p in c.props:
            if p.propagator == c.name:
                o.append(self.prop_decl(c, p))
        if c.props:
            o.append("static MI_PropertyDecl MI_CONST* MI_CONST %s_props[] =\n{\n%s};\n" % (
                c.name, "".join("    &%s_%s_prop,\n" % (p.propagator, p.name) for p in c.props)))
        if c.methods:
            for m in c.methods:
                o.append(self.method_decl(c, m))
            o.append("static MI_MethodDecl MI_CONST* MI_CONST %s_meths[] =\n{\n%s};\n" % (
                c.name, "".join("    &%s_%s_rtti,\n" % (c.name, m.name) for m in c.methods)))
        if c.name in self.provider_names:
            if any(p.has("Key") for p in c.props):
                o.append(FUNCS_INSTANCE.replace("<ALIAS>", c.name))
            else:
                o.append(FUNCS_COMMON.replace("<ALIAS>", c.name))
        text, quals = self.qualifiers(c.name, c.quals)
        if text:
            o.append(text)
        meths = ("    %s_meths, /* methods */\n    MI_COUNT(%s_meths), /* numMethods */\n" % (
            c.name, c.name) if c.methods else "    NULL, /* methods */\n    0, /* numMethods */\n")
        o.append(
            "/* class %(c)s */\n"
            "MI_CONST MI_ClassDecl %(c)s_rtti =\n{\n"
            "    %(flags)s, /* flags */\n"
            "    %(code)s, /* code */\n"
            "    MI_T(\"%(c)s\"), /* name */\n"
            "    %(q)s, /* qualifiers */\n"
            "    %(nq)s, /* numQualifiers */\n"
            "    %(props)s, /* properties */\n"
            "    %(np)s, /* numProperties */\n"
            "    sizeof(%(c)s), /* size */\n"
            "    %(sup)s, /* superClass */\n"
            "    %(supd)s, /* superClassDecl */\n"
            "%(meths)s"
            "    &schemaDecl, /* schema */\n"
            "    %(funcs)s, /* functions */\n"
            "    NULL, /* owningClass */\n};\n" % dict(
                c=c.name, flags=make_flags("CLASS", c), code=hash_code(c.name),
                q=quals or "NULL", nq="MI_COUNT(%s)" % quals if quals else "0",
                props="%s_props" % c.name if c.props else "NULL",
                np="MI_COUNT(%s_props)" % c.name if c.props else "0",
                sup=c_string(c.superclass) if c.superclass else "NULL",
                supd="&%s_rtti" % c.superclass if c.superclass else "NULL",
                meths=meths,
                funcs="&%s_funcs" % c.name if c.name in self.provider_names else "NULL"))
        return "\n".join(o)

    def schema(self):
        order = self.closure()
        o = [self.banner(), "/*\n%s\n**\n** %s\n**\n%s\n*/" % (rule(), WARNING, rule())]
        o.append("#include <ctype.h>\n#include <MI.h>")
        for c in self.top:
            o.append('#include "%s.h"' % c.name)
        o.append("")
        o.append(comment_box("Schema Declaration"))
        o.append("MI_EXTERN_C MI_SchemaDecl schemaDecl;\n")
        o.append(comment_box("Qualifier declarations"))
        used = []
        if self.opts.standard_qualifiers:
            for c in order:
                feats = [c] + c.props + c.methods + [p for m in c.methods for p in m.params]
                for f in feats:
                    for q in f.quals:
                        if q not in used:
                            used.append(q)
            used.sort()
            for q in used:
                ty, scope, flavor, value = STANDARD_QUAL_DECLS[q]
                if value is not None:
                    o.append("static MI_CONST MI_Boolean %s_qual_decl_value = %s;\n" % (q, value))
                o.append(
                    "static MI_CONST MI_QualifierDecl %(q)s_qual_decl =\n{\n"
                    "    MI_T(\"%(q)s\"), /* name */\n"
                    "    %(t)s, /* type */\n"
                    "    %(s)s, /* scope */\n"
                    "    %(f)s, /* flavor */\n"
                    "    0, /* subscript */\n"
                    "    %(v)s, /* value */\n};\n" % dict(
                        q=q, t=ty, s=scope, f=flavor,
                        v="&%s_qual_decl_value" % q if value is not None else "NULL"))
            if used:
                o.append("static MI_QualifierDecl MI_CONST* MI_CONST qualifierDecls[] =\n{\n%s};\n"
                         % "".join("    &%s_qual_decl,\n" % q for q in used))
        for c in order:
            o.append(self.class_schema(c))
        o.append(comment_box("__mi_server"))
        o.append("MI_Server* __mi_server;")
        o.append(comment_box("Schema"))
        o.append("static MI_ClassDecl MI_CONST* MI_CONST classes[] =\n{\n%s};\n" % "".join(
            "    &%s_rtti,\n" % n for n in sorted(c.name for c in order)))
        o.append("MI_SchemaDecl schemaDecl =\n{\n"
                 "    %s, /* qualifierDecls */\n"
                 "    %s, /* numQualifierDecls */\n"
                 "    classes, /* classDecls */\n"
                 "    MI_COUNT(classes), /* classDecls */\n};\n" % (
                     ("qualifierDecls", "MI_COUNT(qualifierDecls)") if used else ("NULL", "0")))
        o.append(comment_box("MI_Server Methods"))
        o.append(SERVER_METHODS)
        return "\n".join(o)

    # ---- module.c

    def mi_main(self):
        flags = []
        if not self.opts.standard_qualifiers:
            flags.append("MI_MODULE_FLAG_STANDARD_QUALIFIERS")
        if self.opts.descriptions:
            flags.append("MI_MODULE_FLAG_DESCRIPTIONS")
        return ("MI_EXTERN_C MI_EXPORT MI_Module* MI_MAIN_CALL MI_Main(_In_ MI_Server* server)\n"
                "{\n"
                "    /* WARNING: THIS FUNCTION AUTOMATICALLY GENERATED. PLEASE DO NOT EDIT. */\n"
                "    static MI_Module module;\n"
                "    MI_EXTERN_C MI_Server* __mi_server;\n"
                "    __mi_server = server;\n"
                + "".join("    module.flags |= %s;\n" % f for f in flags) +
                "    module.charSize = sizeof(MI_Char);\n"
                "    module.version = MI_VERSION;\n"
                "    module.generatorVersion = MI_MAKE_VERSION(1,0,0);\n"
                "    module.schemaDecl = &schemaDecl;\n"
                "    module.Load = Load;\n"
                "    module.Unload = Unload;\n"
                "    return &module;\n"
                "}")

    def module(self, existing):
        main = self.mi_main()
        if existing is not None:
            m = re.compile(r"MI_EXTERN_C\s+MI_EXPORT\s+MI_Module\s*\*\s*MI_MAIN_CALL\s+MI_Main"
                           r"\s*\([^)]*\)\s*\{[^}]*\}").search(existing)
            if not m:
                raise MofError("module.c exists but its MI_Main() body was not found")
            return existing[:m.start()] + main + existing[m.end():]
        return (self.banner().replace(
                    " * (options:", " * (MI_Main is regenerated; Load and Unload are the module's own.)\n"
                    " * (options:") +
                "#include <MI.h>\n\n"
                "MI_EXTERN_C MI_SchemaDecl schemaDecl;\n\n"
                "void MI_CALL Load(_Outptr_result_maybenull_ MI_Module_Self** self, "
                "_In_ struct _MI_Context* context)\n"
                "{\n    *self = NULL;\n    MI_Context_PostResult(context, MI_RESULT_OK);\n}\n\n"
                "void MI_CALL Unload(_In_opt_ MI_Module_Self* self, _In_ struct _MI_Context* context)\n"
                "{\n    MI_UNREFERENCED_PARAMETER(self);\n\n"
                "    MI_Context_PostResult(context, MI_RESULT_OK);\n}\n\n" + main + "\n")


REF_TYPEDEFS = """typedef struct _<ALIAS>_Ref
{
    <ALIAS>* value;
    MI_Boolean exists;
    MI_Uint8 flags;
}
<ALIAS>_Ref;

typedef struct _<ALIAS>_ConstRef
{
    MI_CONST <ALIAS>* value;
    MI_Boolean exists;
    MI_Uint8 flags;
}
<ALIAS>_ConstRef;

typedef struct _<ALIAS>_Array
{
    struct _<ALIAS>** data;
    MI_Uint32 size;
}
<ALIAS>_Array;

typedef struct _<ALIAS>_ConstArray
{
    struct _<ALIAS> MI_CONST* MI_CONST* data;
    MI_Uint32 size;
}
<ALIAS>_ConstArray;

typedef struct _<ALIAS>_ArrayRef
{
    <ALIAS>_Array value;
    MI_Boolean exists;
    MI_Uint8 flags;
}
<ALIAS>_ArrayRef;

typedef struct _<ALIAS>_ConstArrayRef
{
    <ALIAS>_ConstArray value;
    MI_Boolean exists;
    MI_Uint8 flags;
}
<ALIAS>_ConstArrayRef;
"""

INSTANCE_FUNCTIONS = """MI_INLINE MI_Result MI_CALL <ALIAS>_Construct(
    _Out_ <ALIAS>* self,
    _In_ MI_Context* context)
{
    return MI_Context_ConstructInstance(context, &<ALIAS>_rtti,
        (MI_Instance*)&self->__instance);
}

MI_INLINE MI_Result MI_CALL <ALIAS>_Clone(
    _In_ const <ALIAS>* self,
    _Outptr_ <ALIAS>** newInstance)
{
    return MI_Instance_Clone(
        &self->__instance, (MI_Instance**)newInstance);
}

MI_INLINE MI_Boolean MI_CALL <ALIAS>_IsA(
    _In_ const MI_Instance* self)
{
    MI_Boolean res = MI_FALSE;
    return MI_Instance_IsA(self, &<ALIAS>_rtti, &res) == MI_RESULT_OK && res;
}

MI_INLINE MI_Result MI_CALL <ALIAS>_Destruct(_Inout_ <ALIAS>* self)
{
    return MI_Instance_Destruct(&self->__instance);
}

MI_INLINE MI_Result MI_CALL <ALIAS>_Delete(_Inout_ <ALIAS>* self)
{
    return MI_Instance_Delete(&self->__instance);
}

MI_INLINE MI_Result MI_CALL <ALIAS>_Post(
    _In_ const <ALIAS>* self,
    _In_ MI_Context* context)
{
    return MI_Context_PostInstance(context, &self->__instance);
}
"""

METHOD_FUNCTIONS = """MI_EXTERN_C MI_CONST MI_MethodDecl <ALIAS>_<METH>_rtti;

MI_INLINE MI_Result MI_CALL <ALIAS>_<METH>_Construct(
    _Out_ <ALIAS>_<METH>* self,
    _In_ MI_Context* context)
{
    return MI_Context_ConstructParameters(context, &<ALIAS>_<METH>_rtti,
        (MI_Instance*)&self->__instance);
}

MI_INLINE MI_Result MI_CALL <ALIAS>_<METH>_Clone(
    _In_ const <ALIAS>_<METH>* self,
    _Outptr_ <ALIAS>_<METH>** newInstance)
{
    return MI_Instance_Clone(
        &self->__instance, (MI_Instance**)newInstance);
}

MI_INLINE MI_Result MI_CALL <ALIAS>_<METH>_Destruct(
    _Inout_ <ALIAS>_<METH>* self)
{
    return MI_Instance_Destruct(&self->__instance);
}

MI_INLINE MI_Result MI_CALL <ALIAS>_<METH>_Delete(
    _Inout_ <ALIAS>_<METH>* self)
{
    return MI_Instance_Delete(&self->__instance);
}

MI_INLINE MI_Result MI_CALL <ALIAS>_<METH>_Post(
    _In_ const <ALIAS>_<METH>* self,
    _In_ MI_Context* context)
{
    return MI_Context_PostInstance(context, &self->__instance);
}
"""

COMMON_PROTOTYPES = """MI_EXTERN_C void MI_CALL <ALIAS>_Load(
    _Outptr_result_maybenull_ <ALIAS>_Self** self,
    _In_opt_ MI_Module_Self* selfModule,
    _In_ MI_Context* context);

MI_EXTERN_C void MI_CALL <ALIAS>_Unload(
    _In_opt_ <ALIAS>_Self* self,
    _In_ MI_Context* context);
"""

INSTANCE_PROTOTYPES = """
MI_EXTERN_C void MI_CALL <ALIAS>_EnumerateInstances(
    _In_opt_ <ALIAS>_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_ const MI_PropertySet* propertySet,
    _In_ MI_Boolean keysOnly,
    _In_opt_ const MI_Filter* filter);

MI_EXTERN_C void MI_CALL <ALIAS>_GetInstance(
    _In_opt_ <ALIAS>_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const <ALIAS>* instanceName,
    _In_opt_ const MI_PropertySet* propertySet);

MI_EXTERN_C void MI_CALL <ALIAS>_CreateInstance(
    _In_opt_ <ALIAS>_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const <ALIAS>* newInstance);

MI_EXTERN_C void MI_CALL <ALIAS>_ModifyInstance(
    _In_opt_ <ALIAS>_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const <ALIAS>* modifiedInstance,
    _In_opt_ const MI_PropertySet* propertySet);

MI_EXTERN_C void MI_CALL <ALIAS>_DeleteInstance(
    _In_opt_ <ALIAS>_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_ const <ALIAS>* instanceName);
"""

METHOD_PROTOTYPE = """MI_EXTERN_C void MI_CALL <ALIAS>_Invoke_<METH>(
    _In_opt_ <ALIAS>_Self* self,
    _In_ MI_Context* context,
    _In_opt_z_ const MI_Char* nameSpace,
    _In_opt_z_ const MI_Char* className,
    _In_opt_z_ const MI_Char* methodName,
    _In_ const <ALIAS>* instanceName,
    _In_opt_ const <ALIAS>_<METH>* in);
"""

FUNCS_INSTANCE = """static MI_CONST MI_ProviderFT <ALIAS>_funcs =
{
  (MI_ProviderFT_Load)<ALIAS>_Load,
  (MI_ProviderFT_Unload)<ALIAS>_Unload,
  (MI_ProviderFT_GetInstance)<ALIAS>_GetInstance,
  (MI_ProviderFT_EnumerateInstances)<ALIAS>_EnumerateInstances,
  (MI_ProviderFT_CreateInstance)<ALIAS>_CreateInstance,
  (MI_ProviderFT_ModifyInstance)<ALIAS>_ModifyInstance,
  (MI_ProviderFT_DeleteInstance)<ALIAS>_DeleteInstance,
  (MI_ProviderFT_AssociatorInstances)NULL,
  (MI_ProviderFT_ReferenceInstances)NULL,
  (MI_ProviderFT_EnableIndications)NULL,
  (MI_ProviderFT_DisableIndications)NULL,
  (MI_ProviderFT_Subscribe)NULL,
  (MI_ProviderFT_Unsubscribe)NULL,
  (MI_ProviderFT_Invoke)NULL,
};
"""

FUNCS_COMMON = """static MI_CONST MI_ProviderFT <ALIAS>_funcs =
{
  (MI_ProviderFT_Load)<ALIAS>_Load,
  (MI_ProviderFT_Unload)<ALIAS>_Unload,
  (MI_ProviderFT_GetInstance)NULL,
  (MI_ProviderFT_EnumerateInstances)NULL,
  (MI_ProviderFT_CreateInstance)NULL,
  (MI_ProviderFT_ModifyInstance)NULL,
  (MI_ProviderFT_DeleteInstance)NULL,
  (MI_ProviderFT_AssociatorInstances)NULL,
  (MI_ProviderFT_ReferenceInstances)NULL,
  (MI_ProviderFT_EnableIndications)NULL,
  (MI_ProviderFT_DisableIndications)NULL,
  (MI_ProviderFT_Subscribe)NULL,
  (MI_ProviderFT_Unsubscribe)NULL,
  (MI_ProviderFT_Invoke)NULL,
};
"""

SERVER_METHODS = """MI_Result MI_CALL MI_Server_GetVersion(
    MI_Uint32* version){
    return __mi_server->serverFT->GetVersion(version);
}

MI_Result MI_CALL MI_Server_GetSystemName(
    const MI_Char** systemName)
{
    return __mi_server->serverFT->GetSystemName(systemName);
}
"""

# ------------------------------------------------------------------- main ---


def options_parser():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mof", help="the MOF file; the files are written beside it")
    ap.add_argument("--providers", default="",
                    help="comma-separated classes the module provides (get an MI_ProviderFT)")
    ap.add_argument("--extra", default="",
                    help="comma-separated classes put in the schema without a provider")
    ap.add_argument("--descriptions", action="store_true",
                    help="keep Description qualifiers (omigen -D)")
    ap.add_argument("--standard-qualifiers", action="store_true",
                    help="write the standard qualifier declarations (omigen -S)")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 when a file differs from what would be written")
    return ap


def main(argv):
    ap = options_parser()
    args = ap.parse_args(argv)
    with open(args.mof, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^//\s*mof2c:(.*)$", text, re.M)
    embedded = shlex.split(m.group(1)) if m else []
    opts = ap.parse_args(argv + embedded)
    opts.providers = [s for s in opts.providers.split(",") if s]
    opts.extra = [s for s in opts.extra.split(",") if s]
    if not opts.providers:
        ap.error("no --providers (on the command line or a `// mof2c:` line)")

    classes = Parser(text, args.mof).parse()
    by_name = resolve(classes)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    mof_abs = os.path.abspath(args.mof)
    mof_rel = os.path.relpath(mof_abs, root) if mof_abs.startswith(root + os.sep) else args.mof
    shown = embedded or [a for a in argv if a not in (args.mof, "--check")]
    gen = Gen(by_name, mof_rel, " ".join(shown), opts)
    outdir = os.path.dirname(mof_abs)

    files = {}
    for c in gen.closure():
        files["%s.h" % c.name] = gen.header(c)
    files["schema.c"] = gen.schema()
    module_path = os.path.join(outdir, "module.c")
    existing = open(module_path, encoding="utf-8").read() if os.path.exists(module_path) else None
    files["module.c"] = gen.module(existing)

    stale = []
    for name, content in files.items():
        path = os.path.join(outdir, name)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old == content:
            continue
        stale.append(path)
        if not opts.check:
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
    if opts.check:
        for p in stale:
            print("stale: %s" % os.path.relpath(p), file=sys.stderr)
        return 1 if stale else 0
    for p in stale:
        print("wrote %s" % os.path.relpath(p))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except MofError as e:
        print("mof2c.py: %s" % e, file=sys.stderr)
        sys.exit(2)
