// The .nn grammar: a Chevrotain CstParser with no embedded actions and error recovery on. It only decides
// the shape of each statement; which words and options are allowed, their types and ranges, are checked
// after parsing (src/front/validate.ts), where errors can name the option and suggest a fix.
//
//   file      := line ( (newline | ';') line )*          line := statement?
//   statement := model | input | let | sweep | layer | loss | optimizer | schedule | init
//              | data | classes | row | split | normalize | stop | precision | unknown
//
// One parser instance is reused (`parseStatement`): Chevrotain parsers are built once and reset per input.
// The alternatives of the ORs that run once per statement or token, and the hot OPTION/MANY/AT_LEAST_ONE_SEP
// bodies, are built once (`alts.x ??= [...]`, `acts.x ??= () => …`, as Chevrotain's performance guide
// suggests), not on every call: under tsx (keepNames) every arrow function created also costs a
// defineProperty, and 1 MB of rows made a million of them.
import { CstParser, type AtLeastOneSepMethodOpts, type CstNode, type DSLMethodOpts, type IOrAlt, type IRecognitionException, type IToken } from "chevrotain";
import * as T from "./tokens.js";
import { ACTIVATIONS } from "../src/maths.js";

/** The activation words (src/maths.ts), which a lone layer size never is. */
const ACTIVATION_WORDS: ReadonlySet<string> = new Set(Object.keys(ACTIVATIONS));

/** How many tokens ahead the parser may look to decide between alternatives (front end: see syntax.ts). */
export const MAX_LOOKAHEAD = 3;

export class NnParser extends CstParser {
  /** Each hot OR's alternatives, built on first use (see the note at the top). */
  private alts: Record<string, IOrAlt<unknown>[]> = {};
  /** The same for the hot OPTION/MANY bodies and their option objects (keys: rule name and part). */
  private acts: Record<string, () => void> = {};
  private gated: Record<string, DSLMethodOpts<void>> = {};
  private separated: Record<string, AtLeastOneSepMethodOpts<void>> = {};

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: MAX_LOOKAHEAD });
    this.performSelfAnalysis();
  }

  public file = this.RULE("file", () => {
    this.OPTION(() => this.SUBRULE(this.statement));
    this.MANY(() => {
      this.SUBRULE(this.separator);
      this.OPTION2(() => this.SUBRULE2(this.statement));
    });
  });

  private separator = this.RULE("separator", () => {
    this.OR((this.alts.separator ??= [{ ALT: () => this.CONSUME(T.Newline) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
  });

  private statement = this.RULE("statement", () => {
    this.OR(
      (this.alts.statement ??= [
        { ALT: () => this.SUBRULE(this.modelStatement) },
        { ALT: () => this.SUBRULE(this.inputStatement) },
        { ALT: () => this.SUBRULE(this.letStatement) },
        { ALT: () => this.SUBRULE(this.sweepStatement) },
        { ALT: () => this.SUBRULE(this.layerStatement) },
        { ALT: () => this.SUBRULE(this.lossStatement) },
        { ALT: () => this.SUBRULE(this.optimizerStatement) },
        { ALT: () => this.SUBRULE(this.scheduleStatement) },
        { ALT: () => this.SUBRULE(this.initStatement) },
        { ALT: () => this.SUBRULE(this.dataStatement) },
        { ALT: () => this.SUBRULE(this.classesStatement) },
        { ALT: () => this.SUBRULE(this.rowStatement) },
        { ALT: () => this.SUBRULE(this.splitStatement) },
        { ALT: () => this.SUBRULE(this.normalizeStatement) },
        { ALT: () => this.SUBRULE(this.stopStatement) },
        { ALT: () => this.SUBRULE(this.precisionStatement) },
        { ALT: () => this.SUBRULE(this.unknownStatement) },
      ]),
    );
  });

  /** model NAME */
  private modelStatement = this.RULE("modelStatement", () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Name, { LABEL: "kind" });
  });

  /** input N */
  private inputStatement = this.RULE("inputStatement", () => {
    this.CONSUME(T.Input);
    this.SUBRULE(this.size);
  });

  /** let NAME = NUMBER */
  private letStatement = this.RULE("letStatement", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Name, { LABEL: "variable" });
    this.CONSUME(T.Equals);
    this.CONSUME(T.NumberLiteral);
  });

  /** sweep NAME = NUMBER, NUMBER, … */
  private sweepStatement = this.RULE("sweepStatement", () => {
    this.CONSUME(T.Sweep);
    this.CONSUME(T.Name, { LABEL: "variable" });
    this.CONSUME(T.Equals);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.NumberLiteral) });
  });

  /**
   * layer KIND [SIZE [-> SIZE]] (ACTIVATION | SETTING)* — `layer fc 2->4 tanh`, `layer fc 26 softmax`,
   * `layer conv 6 relu kernel=5`, `layer maxpool 2 stride=1`, `layer dropout p=0.5`.
   * The word after the kind is a size when `->` follows it, or when it is no activation word and neither `=`
   * nor `(` follows it (`p=0.5` is a setting, `tanh(…)` and `tanh` activations): so a lone variable size can
   * be written (`layer conv F kernel=3`), and `layer fc relu` is a layer without its size (NN007). After the
   * sizes, a name not followed by `=` is an activation (a layer has no flag options), in any order with the
   * settings.
   */
  private layerStatement = this.RULE("layerStatement", () => {
    this.CONSUME(T.Layer);
    this.CONSUME(T.Name, { LABEL: "kind" });
    this.OPTION(
      (this.gated.layerSizes ??= {
        // A number or dims is a size; so is a name (a `let` variable) unless it is an option (`kernel=…`), an
        // activation with its argument (`leaky_relu(0.1)`), or an activation word not followed by `->` (`layer fc
        // tanh` is a missing size, not a variable called tanh; `layer conv relu kernel=3` a missing filter count).
        GATE: () => {
          const next = this.LA(1);
          if (next.tokenType === T.NumberLiteral || next.tokenType === T.Dims) return true;
          const after = this.LA(2).tokenType;
          if (after === T.Arrow) return true;
          return after !== T.Equals && after !== T.LParen && !ACTIVATION_WORDS.has(next.image);
        },
        DEF: () => {
          this.SUBRULE(this.size, { LABEL: "from" });
          this.OPTION2(
            (this.acts.layerTo ??= () => {
              this.CONSUME(T.Arrow);
              this.SUBRULE2(this.size, { LABEL: "to" });
            }),
          );
        },
      }),
    );
    this.MANY(
      (this.acts.layerParts ??= () =>
        this.OR(
          (this.alts.layerPart ??= [
            // Both start with a name; `=` second decides (the ambiguity of a bare name goes to the activation).
            { GATE: () => this.LA(2).tokenType !== T.Equals, ALT: () => this.SUBRULE(this.activation), IGNORE_AMBIGUITIES: true },
            { ALT: () => this.SUBRULE(this.setting) },
          ]),
        )),
    );
  });

  /** sigmoid | leaky_relu(0.1) | … */
  private activation = this.RULE("activation", () => {
    this.CONSUME(T.Name, { LABEL: "kind" });
    this.OPTION(
      (this.acts.activationArgument ??= () => {
        this.CONSUME(T.LParen);
        this.CONSUME(T.NumberLiteral);
        this.CONSUME(T.RParen);
      }),
    );
  });

  /** A layer or input size: a number, dims (`1x17x17`) or a `let` variable. */
  private size = this.RULE("size", () => {
    this.OR((this.alts.size ??= [{ ALT: () => this.CONSUME(T.NumberLiteral) }, { ALT: () => this.CONSUME(T.Dims) }, { ALT: () => this.CONSUME(T.Name) }]));
  });

  /** loss mse | crossentropy */
  private lossStatement = this.RULE("lossStatement", () => {
    this.CONSUME(T.Loss);
    this.CONSUME(T.Name, { LABEL: "kind" });
  });

  /** sgd | momentum | rmsprop | adam, then options */
  private optimizerStatement = this.RULE("optimizerStatement", () => {
    this.OR(
      (this.alts.optimizer ??= [
        { ALT: () => this.CONSUME(T.Sgd) },
        { ALT: () => this.CONSUME(T.Momentum) },
        { ALT: () => this.CONSUME(T.Rmsprop) },
        { ALT: () => this.CONSUME(T.Adam) },
      ]),
    );
    this.MANY((this.acts.settings ??= () => this.SUBRULE(this.setting)));
  });

  /** schedule step | exponential | cosine, then options */
  private scheduleStatement = this.RULE("scheduleStatement", () => {
    this.CONSUME(T.Schedule);
    this.CONSUME(T.Name, { LABEL: "kind" });
    this.MANY((this.acts.settings ??= () => this.SUBRULE(this.setting)));
  });

  /** init normal | uniform | xavier | he | zeros, then options */
  private initStatement = this.RULE("initStatement", () => {
    this.CONSUME(T.Init);
    this.CONSUME(T.Name, { LABEL: "kind" });
    this.MANY((this.acts.settings ??= () => this.SUBRULE(this.setting)));
  });

  /** data|test planar | square | npy "PATH" | csv "PATH" | idx "PATH" | inline, then options */
  private dataStatement = this.RULE("dataStatement", () => {
    this.OR((this.alts.data ??= [{ ALT: () => this.CONSUME(T.Data) }, { ALT: () => this.CONSUME(T.Test) }]));
    this.CONSUME(T.Name, { LABEL: "kind" });
    this.OPTION((this.acts.dataPath ??= () => this.CONSUME(T.StringLiteral, { LABEL: "path" })));
    this.MANY((this.acts.settings ??= () => this.SUBRULE(this.setting)));
  });

  /** classes NAME, NAME, … — each name an identifier or a quoted string (`classes male, female`, `classes "Iris setosa", …`) */
  private classesStatement = this.RULE("classesStatement", () => {
    this.CONSUME(T.Classes);
    this.AT_LEAST_ONE_SEP((this.separated.classNames ??= { SEP: T.Comma, DEF: () => this.SUBRULE(this.className) }));
  });

  /** A class name: an identifier (or keyword) or a quoted string. */
  private className = this.RULE("className", () => {
    this.OR(
      (this.alts.className ??= [{ ALT: () => this.CONSUME(T.Name, { LABEL: "names" }) }, { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: "names" }) }]),
    );
  });

  /** row x1, x2, … -> y1, … | row x1, x2, … -> CLASS (a class name of the `classes` statement) */
  private rowStatement = this.RULE("rowStatement", () => {
    this.CONSUME(T.Row);
    this.AT_LEAST_ONE_SEP((this.separated.rowInputs ??= { SEP: T.Comma, DEF: () => this.CONSUME(T.NumberLiteral, { LABEL: "inputs" }) }));
    this.CONSUME(T.Arrow);
    this.OR(
      (this.alts.rowTargets ??= [
        {
          ALT: () => this.AT_LEAST_ONE_SEP2((this.separated.rowTargets ??= { SEP: T.Comma, DEF: () => this.CONSUME2(T.NumberLiteral, { LABEL: "targets" }) })),
        },
        { ALT: () => this.SUBRULE(this.className, { LABEL: "label" }) },
      ]),
    );
  });

  /** split FRACTION, then options */
  private splitStatement = this.RULE("splitStatement", () => {
    this.CONSUME(T.Split);
    this.CONSUME(T.NumberLiteral);
    this.MANY((this.acts.settings ??= () => this.SUBRULE(this.setting)));
  });

  /** normalize zero-mean | min-max | z-score | none */
  private normalizeStatement = this.RULE("normalizeStatement", () => {
    this.CONSUME(T.Normalize);
    this.CONSUME(T.Name, { LABEL: "kind" });
  });

  /** stop loss < 0.1 | stop accuracy >= 0.98 | stop early option* */
  private stopStatement = this.RULE("stopStatement", () => {
    this.CONSUME(T.Stop);
    this.CONSUME(T.Name, { LABEL: "kind" });
    this.OPTION(() => {
      this.SUBRULE(this.comparator);
      this.CONSUME(T.NumberLiteral);
    });
    this.MANY((this.acts.settings ??= () => this.SUBRULE(this.setting)));
  });

  private comparator = this.RULE("comparator", () => {
    this.OR(
      (this.alts.comparator ??= [
        { ALT: () => this.CONSUME(T.Less) },
        { ALT: () => this.CONSUME(T.LessEqual) },
        { ALT: () => this.CONSUME(T.Greater) },
        { ALT: () => this.CONSUME(T.GreaterEqual) },
      ]),
    );
  });

  /** precision f64 | f32 */
  private precisionStatement = this.RULE("precisionStatement", () => {
    this.CONSUME(T.Precision);
    this.CONSUME(T.Name, { LABEL: "kind" });
  });

  /** A word that is not a statement keyword: parsed loosely so the checker can say "unknown statement, did you mean …". */
  private unknownStatement = this.RULE("unknownStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "kind" });
    this.MANY((this.acts.looseTokens ??= () => this.SUBRULE(this.looseToken)));
  });

  private looseToken = this.RULE("looseToken", () => {
    this.OR(
      (this.alts.looseToken ??= [
        { ALT: () => this.CONSUME(T.Name) },
        { ALT: () => this.CONSUME(T.NumberLiteral) },
        { ALT: () => this.CONSUME(T.Dims) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.Arrow) },
        { ALT: () => this.CONSUME(T.Equals) },
        { ALT: () => this.CONSUME(T.Comma) },
        { ALT: () => this.CONSUME(T.LParen) },
        { ALT: () => this.CONSUME(T.RParen) },
        { ALT: () => this.CONSUME(T.Less) },
        { ALT: () => this.CONSUME(T.LessEqual) },
        { ALT: () => this.CONSUME(T.Greater) },
        { ALT: () => this.CONSUME(T.GreaterEqual) },
      ]),
    );
  });

  /** NAME[=VALUE]; a bare NAME is a flag (`shuffle` = `shuffle=true`). */
  private setting = this.RULE("setting", () => {
    this.CONSUME(T.Name, { LABEL: "name" });
    this.OPTION(
      (this.acts.settingValue ??= () => {
        this.CONSUME(T.Equals);
        this.SUBRULE(this.settingValue);
      }),
    );
  });

  private settingValue = this.RULE("settingValue", () => {
    this.OR(
      (this.alts.settingValue ??= [
        { ALT: () => this.CONSUME(T.NumberLiteral) },
        { ALT: () => this.CONSUME(T.Dims) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.Name) },
      ]),
    );
  });
}

let parser: NnParser | undefined;

/** The one parser instance, built on first use: Chevrotain parsers are expensive to build (~0.1 s of grammar
 * analysis) and meant to be reused, and the front end needs one only for a statement with a syntax error. */
export function nnParser(): NnParser {
  return (parser ??= new NnParser());
}

/** After this many syntax errors the rest of the file is not parsed (the spec is refused anyway). */
export const MAX_PARSE_ERRORS = 100;

/**
 * Parses the tokens of ONE statement, followed by the separator that ends it (if any), with recovery on;
 * never throws on bad input. The front end (src/front/syntax.ts) hands over statements one at a time, so a
 * syntax error's recovery can never reach into the next statement, and a file of thousands of broken
 * lines never makes Chevrotain's in-repetition recovery recurse once per error (that overflowed the stack).
 */
export function parseStatement(tokens: IToken[]): { cst: CstNode; errors: IRecognitionException[] } {
  const p = nnParser();
  p.input = tokens;
  const cst = p.file();
  return { cst, errors: p.errors };
}
