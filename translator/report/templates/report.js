(function(){"use strict";
var root=document.documentElement,errors=0;
window.addEventListener("error",function(){errors++;root.setAttribute("data-errors",String(errors));});
function init(){
var boxes=Array.prototype.slice.call(document.querySelectorAll("#filters input[data-f]"));
var only=document.getElementById("only-issues");
var items=Array.prototype.slice.call(document.querySelectorAll("li.sug,mark.hl"));
var rows=Array.prototype.slice.call(document.querySelectorAll("#side tbody tr"));
function apply(){
var off={};
boxes.forEach(function(b){if(!b.checked){off[b.getAttribute("data-f")]=1;}});
var shown=0;
items.forEach(function(el){
var hide=off["sev-"+el.getAttribute("data-sev")]||off["cat-"+el.getAttribute("data-cat")]||off["st-"+el.getAttribute("data-st")];
el.classList.toggle("hidden-by-filter",!!hide);
if(!hide&&el.tagName==="LI"){shown++;}
});
rows.forEach(function(r){r.classList.toggle("quiet",!r.querySelector("li.sug:not(.hidden-by-filter)"));});
document.body.classList.toggle("only-issues",!!(only&&only.checked));
var c=document.getElementById("shown");if(c){c.textContent=String(shown);}
}
boxes.forEach(function(b){b.addEventListener("change",apply);});
if(only){only.addEventListener("change",apply);}
apply();
root.setAttribute("data-ready","1");
}
if(document.readyState==="loading"){document.addEventListener("DOMContentLoaded",init);}else{init();}
window.addEventListener("load",function(){root.setAttribute("data-load-ms",String(Math.round(performance.now())));});
})();
