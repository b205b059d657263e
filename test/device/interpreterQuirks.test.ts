// What Espruino 2v29 does differently from V8, each seen on the real interpreter and listed in
// docs/espruino-quirks.md. A test here fails when the interpreter changes, so the document and
// the rules built on it (the bundle check's "regex" rule, firmware/textScan.ts) get revisited.
import { interpreterMissing, runSnippet } from "../../tools/device/runDevice";

const describeReal = interpreterMissing() ? describe.skip : describe;

function on(code: string): string {
  return runSnippet("pico", code);
}

describeReal("Espruino 2v29 quirks (real interpreter)", () => {
  it("a `?` after a character class fails to match an optional sign", () => {
    expect(on('print(/^-?\\d+$/.test("-20"), /^[+-]?\\d+$/.test("+20"), /a?b/.test("b"));')).toBe("false false false");
  });

  it("does not honour {n,m} quantifiers", () => {
    expect(on('print(/^\\d{1,3}$/.test("12"));')).toBe("false");
  });

  it("multi-character String.indexOf can report a false hit; Array indexOf is exact", () => {
    // "speed" does not contain "done", yet 4 comes back (why the protocol looks commands up in a word list)
    expect(on('print("speed".indexOf("done"), ["status","vol"].indexOf("vol"));')).toBe("4 1");
  });

  it("the firmware's hand-written scans give V8's answers there", () => {
    // the same loop shape as firmware/textScan.ts isDigits, over char codes
    const code =
      'function dig(s){var i,c;if(!s.length)return false;for(i=0;i<s.length;i++){c=s.charCodeAt(i);if(c<48||c>57)return false;}return true;}' +
      'print(dig("20"), dig("2a"), dig(""), "a,b,,c".split(",").length, parseFloat("-35.5"));';
    expect(on(code)).toBe("true false false 4 -35.5");
  });

  it("memory: a word list as one string or a typed array costs a fraction of an array of its parts", () => {
    const code =
      'var w="out gainDb outVolDb step maxDb bootCapDb muteDb jackSelect ab gainStaging capDb pwHash";' +
      "var a=w.split(' '), n=[1,1,22,10,5,4,3,2,1,1,1,1,1,1,1,1,1,1,1,1], t=new Int8Array(n);" +
      "print(E.getSizeOf(a) > 2 * E.getSizeOf(w), E.getSizeOf(n) > 3 * E.getSizeOf(t));";
    expect(on(code)).toBe("true true");
  });

  it("memory: a function called once stays in RAM while its name does; setting the name to undefined frees it (tools/releaseBootOnly.js)", () => {
    // a factory with three parameters, called once inside an IIFE, as the bundle's unit factories are
    const code =
      "var M=function(){return process.memory().usage;};var r=[];" +
      "(function(){function startX(a,b,c){var q=a+b;return q+c;} var x=startX(1,2,3); var m0=M(); startX=void 0; var m1=M(); r.push(m0-m1, x);})();" +
      "print(r[0] >= 6, r[1]);";
    expect(on(code)).toBe("true 6");
  });

  it("memory: a function made two functions deep carries its own copy of the scope chain; one deep shares its scope (why the bundle is not an IIFE: tools/espruinoMinify.js)", () => {
    // the same factory, at the top level and inside an IIFE: the second costs 3+ JsVars more per closure
    const code =
      "var M=function(){return process.memory().usage;};var r=[];" +
      "function mk(){var s=1;return {a:function(){return s},b:function(){return s}};}" +
      "var m0=M(),o1=mk(),d1=M()-m0;" +
      "(function(){function mk2(){var s=1;return {a:function(){return s},b:function(){return s}};} var m2=M(),o2=mk2(); r.push(M()-m2-d1);})();" +
      "print(r[0] >= 2 * 3);";
    expect(on(code)).toBe("true");
  });

  it("a single-character String.indexOf is exact (textScan's word() reads the string tables with it)", () => {
    // the same loop shape as firmware/textScan.ts word()
    const code =
      'function word(l,i,s){var a=0,b;while(i-->0){a=l.indexOf(s,a)+1;if(!a)return "";}b=l.indexOf(s,a);return l.substring(a,b<0?l.length:b);}' +
      'print(word("out gain vol.bal44",0," "), word("out gain vol.bal44",2," "), "[" + word(",,none,",1,",") + "]", word(",,none,",2,","), "[" + word("a b",5," ") + "]");';
    expect(on(code)).toBe("out vol.bal44 [] none []");
  });

  it("replacing the built-in USB object is not seen after load(); its methods can be replaced", () => {
    // (why tools/device/hardware.js patches USB.write/USB.on instead of assigning global.USB)
    expect(on('print(typeof USB, typeof Bluetooth);')).toBe("object undefined");
  });

  it("Math.exp, Math.log and Math.sqrt are exact on both boards (firmware/fastMath.ts relies on it); trigonometry is not on the Pico", () => {
    const code =
      'var e=[Math.exp(1)-2.718281828459045,Math.exp(-3.3)/0.036883167401240-1,Math.log(10)-2.302585092994046,' +
      'Math.log(0.001)+6.907755278982137,Math.sqrt(2)-1.4142135623730951];' +
      'var w=0;for(var i=0;i<e.length;i++)if(Math.abs(e[i])>w)w=Math.abs(e[i]);print(w<1e-14,Math.abs(Math.atan(1)-0.7853981633974483)<1e-9);';
    expect(runSnippet("pico", code)).toBe("true false");
    expect(runSnippet("mdbt42q", code).split(" ")[0]).toBe("true");
  });
});
